import { coldStartSection } from './cold-start';
console.log((await coldStartSection()).join('\n'));
