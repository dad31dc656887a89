/**
 * The first step of `npm test`: what the tests need beyond `npm ci`, or one line saying what to install.
 * Chromium (the browser tests) and redis-server (the Redis tests start private servers) are installed with
 * apt-get where that can run (root, on Debian or Ubuntu). A Redis at `REDIS_URL` is not needed yet: when
 * none answers on this machine, the test run starts its own (test/support/redis-global-setup.ts).
 */
import {
  aptInstall,
  canAptInstall,
  DEFAULT_REDIS_URL,
  type Found,
  findChromium,
  findRedisServer,
  isLocalRedis,
  redisAnswers,
} from '../test/support/prerequisites';

interface Tool {
  name: string;
  find: () => Found;
  /** The Debian package that provides it. */
  apt: string;
  /** The variable that names it elsewhere. */
  override: string;
}

const TOOLS: Tool[] = [
  { name: 'Chromium', find: () => findChromium(), apt: 'chromium', override: 'CHROMIUM_PATH' },
  { name: 'redis-server', find: () => findRedisServer(), apt: 'redis-server', override: 'REDIS_SERVER' },
];

function stop(line: string): never {
  console.error(`npm test: ${line}`);
  process.exit(1);
}

const missing = (tools: Tool[]) => tools.flatMap((tool) => {
  const found = tool.find();
  return 'missing' in found ? [{ tool, why: found.missing }] : [];
});

let absent = missing(TOOLS);
// A variable that points nowhere is the caller's to fix: apt-get would install the tool somewhere else.
const installable = absent.filter(({ tool }) => !process.env[tool.override]).map(({ tool }) => tool);
if (installable.length > 0 && canAptInstall()) {
  console.log(`npm test: installing ${installable.map((tool) => tool.apt).join(' ')} with apt-get`);
  try {
    aptInstall(installable.map((tool) => tool.apt));
  } catch (error) {
    stop((error as Error).message);
  }
  absent = missing(TOOLS);
}
if (absent.length > 0) {
  const advice = ({ tool, why }: { tool: Tool; why: string }) =>
    process.env[tool.override] ? `${why}: point it at ${tool.name}, or unset it` : `${why}: install ${tool.name} (apt-get install ${tool.apt}) or set ${tool.override}`;
  stop(absent.map(advice).join('; '));
}

const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
if (!isLocalRedis(redisUrl) && !(await redisAnswers(redisUrl))) {
  stop(`nothing answers at REDIS_URL=${redisUrl}: start it, or unset REDIS_URL to let the tests start a Redis of their own`);
}
