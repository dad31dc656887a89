/** How finely rollout weights are read: 1e-8 %, the precision of compiled share ends. */
export const ROLLOUT_STEPS_PER_PERCENT = 1e8;
