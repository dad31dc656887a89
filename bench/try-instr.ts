import { expressInstructionsBench } from '/work/main/bench/express-instructions';
console.log(await expressInstructionsBench());
