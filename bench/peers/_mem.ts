import { memorySection } from './memory';
console.log((await memorySection()).join('\n'));
