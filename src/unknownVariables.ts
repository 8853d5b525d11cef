/**
 * Unknown variables with the gateway's prefixes (`CYCLE_API_ULR`): reported at start-up with the closest known name,
 * since a misspelt variable is otherwise silently ignored and its default used. Variables that other tools set with
 * the same prefixes are left alone: the cf CLI's own, those Cloud Foundry sets for an app instance, and the service
 * links Kubernetes adds for a Service (`REDIS_SERVICE_HOST`, `REDIS_PORT_6379_TCP`).
 */

/** Prefixes (and whole names) that only this gateway's variables use. */
const GATEWAY_PREFIXES = [
  'CYCLE_',
  'CF_',
  'DOCKER_CLOUD_',
  'DOCKERCLOUD_',
  'UPSTREAM_',
  'GATEWAY_',
  'JWT_',
  'MAX_',
  'REQUEST_',
  'RETRY_',
  'READINESS_',
  'METRICS_',
  'REDIS_',
  'PERSISTED_QUERIES',
  'SHUTDOWN_',
  'JOB_',
  'UPLOAD_',
];

/** The cf CLI's documented variables and those Cloud Foundry sets in an app's container. */
const FOREIGN_CF = new Set([
  'CF_COLOR',
  'CF_DIAL_TIMEOUT',
  'CF_HOME',
  'CF_PASSWORD',
  'CF_PLUGIN_HOME',
  'CF_STAGING_TIMEOUT',
  'CF_STARTUP_TIMEOUT',
  'CF_TRACE',
  'CF_USERNAME',
  'CF_CLI_EXPERIMENTAL',
  'CF_STACK',
  'CF_SYSTEM_CERT_PATH',
]);

const KUBERNETES_SERVICE_LINK = /_(SERVICE_HOST|SERVICE_PORT(_\w+)?|PORT(_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)$/;

function isForeign(name: string): boolean {
  return FOREIGN_CF.has(name) || name.startsWith('CF_INSTANCE_') || KUBERNETES_SERVICE_LINK.test(name);
}

/**
 * The unknown variables of `env`, in name order, each with the closest of `known` when one is close: those with the
 * gateway's prefixes, and any other one edit away from a known name of six characters or more (`LOG_LEVL`), since the
 * environment holds many variables that are not the gateway's, but hardly one that close to one of its names.
 */
export function unknownVariables(
  env: Readonly<Record<string, string | undefined>>,
  known: ReadonlySet<string>,
): { name: string; suggestion: string | undefined }[] {
  return Object.keys(env)
    .filter((name) => !known.has(name) && !isForeign(name))
    .map((name) => ({
      name,
      suggestion: GATEWAY_PREFIXES.some((p) => name.startsWith(p)) ? closestName(name, known) : nearMiss(name, known),
      prefixed: GATEWAY_PREFIXES.some((p) => name.startsWith(p)),
    }))
    .filter(({ prefixed, suggestion }) => prefixed || suggestion !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(({ name, suggestion }) => ({ name, suggestion }));
}

/** The known name one edit away from an unprefixed `name`, when both are at least six characters long. */
function nearMiss(name: string, known: ReadonlySet<string>): string | undefined {
  if (name.length < 6) return undefined;
  for (const candidate of known) if (candidate.length >= 6 && editDistance(name, candidate) === 1) return candidate;
  return undefined;
}

/** The known name nearest to `name`, when at most a few edits away (a third of its length, at most 4). */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const limit = Math.min(4, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and transpositions of neighbours each
 * count one (`ULR` → `URL` is one edit, the usual typo).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1]!;
}
