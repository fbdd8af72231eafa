/**
 * How a new report about a task combines with what is held. Reports arrive from polls, list sweeps and
 * notifications, possibly out of order and possibly twice; the rules keep the newest truth:
 * - a report older (by `lastUpdatedAt`) than what is held does not replace it;
 * - a terminal task never goes back to running (the spec forbids it; a late reply must not resurrect it);
 * - who started it (`startedByUs`, `toolName`, `toolArgs`) is merged in whatever the order (a notification may beat
 *   the reply to the `tools/call` that created the task).
 */
import type { TaskSnapshot } from '../protocol/TaskProtocol';
import { isTerminal, type InputRequest, type TrackedTask } from '../model/TaskModel';

/** What the client knows about a task beyond what the server says. */
export interface TaskAttribution {
  readonly startedByUs?: boolean;
  readonly toolName?: string;
  readonly toolArgs?: Readonly<Record<string, unknown>>;
  readonly startedBy?: 'vscode';
  /** `false` clears it (VS Code polls again). */
  readonly abandoned?: boolean;
}

/** Who started the task and how, whatever the order of the reports: what was learnt is kept. */
export function mergeAttribution(held: TaskAttribution | undefined, incoming: TaskAttribution): TaskAttribution & { readonly startedByUs: boolean } {
  const toolName = incoming.toolName ?? held?.toolName;
  const toolArgs = incoming.toolArgs ?? held?.toolArgs;
  const startedBy = incoming.startedBy ?? held?.startedBy;
  const abandoned = incoming.abandoned ?? held?.abandoned;
  return {
    startedByUs: (held?.startedByUs ?? false) || (incoming.startedByUs ?? false),
    ...(toolName !== undefined ? { toolName } : {}),
    ...(toolArgs !== undefined ? { toolArgs } : {}),
    ...(startedBy !== undefined ? { startedBy } : {}),
    ...(abandoned === true ? { abandoned } : {}),
  };
}

function timeOf(iso: string | undefined): number | undefined {
  if (iso === undefined) {
    return undefined;
  }
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** True when `incoming` must not replace the status fields of `held`. */
export function isOutdated(held: TrackedTask, incoming: Pick<TaskSnapshot, 'status' | 'lastUpdatedAt'>): boolean {
  if (isTerminal(held.status) && !isTerminal(incoming.status)) {
    return true;
  }
  if (held.lastUpdatedAt === incoming.lastUpdatedAt) {
    return false;
  }
  const heldTime = timeOf(held.lastUpdatedAt);
  const incomingTime = timeOf(incoming.lastUpdatedAt);
  return heldTime !== undefined && incomingTime !== undefined && incomingTime < heldTime;
}

export function mergeTask(
  serverId: string,
  held: TrackedTask | undefined,
  snapshot: TaskSnapshot,
  attribution: TaskAttribution,
  fetchedAt: number,
): TrackedTask {
  const who = mergeAttribution(held, attribution);
  if (held && isOutdated(held, snapshot)) {
    // The server did answer, so an earlier error about this task is no longer current.
    const { lastError, ...rest } = held;
    return { ...rest, ...who };
  }
  // The pending request for input belongs to the input_required episode; it ends when the status moves on.
  const inputRequest = snapshot.status === 'input_required' ? currentInputRequest(held?.inputRequest, snapshot.inputRequest) : undefined;
  // Fixed facts the reply left out (or sent unusable) keep their last good value.
  const createdAt = snapshot.createdAt ?? held?.createdAt;
  const ttl = snapshot.ttl !== undefined ? snapshot.ttl : held?.ttl;
  const pollInterval = snapshot.pollInterval ?? held?.pollInterval;
  // lastError is left out on purpose: a good answer from the server clears an earlier error.
  // V8 gives an object literal one in-object slot per entry (a conditional spread is one entry even when
  // empty), and a store holds tens of thousands of these: so the literal has exactly the entries most
  // tasks fill (a listed task nobody here started), and the rarer facts follow in a copy only when present.
  const task: TrackedTask = {
    serverId,
    taskId: snapshot.taskId,
    status: snapshot.status,
    ...(snapshot.statusMessage !== undefined ? { statusMessage: snapshot.statusMessage } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(snapshot.lastUpdatedAt !== undefined ? { lastUpdatedAt: snapshot.lastUpdatedAt } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
    ...(pollInterval !== undefined ? { pollInterval } : {}),
    startedByUs: who.startedByUs,
    fetchedAt,
  };
  const rare = rareFacts(snapshot.rawStatus, who, inputRequest);
  return rare === undefined ? task : { ...task, ...rare };
}

/** What few tasks have: an unknown status, who started it beyond `startedByUs`, a pending question. */
function rareFacts(rawStatus: string | undefined, who: TaskAttribution, inputRequest: InputRequest | undefined): Partial<TrackedTask> | undefined {
  const { toolName, toolArgs, startedBy, abandoned } = who;
  if (rawStatus === undefined && toolName === undefined && toolArgs === undefined && startedBy === undefined && abandoned === undefined && inputRequest === undefined) {
    return undefined;
  }
  return {
    ...(rawStatus !== undefined ? { rawStatus } : {}),
    ...(toolName !== undefined ? { toolName } : {}),
    ...(toolArgs !== undefined ? { toolArgs } : {}),
    ...(startedBy !== undefined ? { startedBy } : {}),
    ...(abandoned !== undefined ? { abandoned } : {}),
    ...(inputRequest !== undefined ? { inputRequest } : {}),
  };
}

/**
 * 2025-11-25 snapshots carry no input request (it arrives as a server request and is noted beside): the
 * held one stays. 2026-07-28 snapshots carry it on every poll: the same key is the same question, and the
 * held object is kept so that re-polls do not count as changes.
 */
function currentInputRequest(held: InputRequest | undefined, incoming: InputRequest | undefined): InputRequest | undefined {
  if (incoming === undefined) return held;
  return held !== undefined && held.key !== undefined && held.key === incoming.key ? held : incoming;
}

/**
 * True when merging `snapshot` into `held` would give `held` again (`fetchedAt` aside): the server said
 * the same, and the attribution adds nothing. Checked first on every reply, so it reads fields only.
 */
export function repeatsHeld(held: TrackedTask, snapshot: TaskSnapshot, attribution: TaskAttribution): boolean {
  if (
    held.status !== snapshot.status ||
    held.lastUpdatedAt !== snapshot.lastUpdatedAt ||
    held.statusMessage !== snapshot.statusMessage ||
    held.rawStatus !== snapshot.rawStatus ||
    held.createdAt !== snapshot.createdAt ||
    held.ttl !== snapshot.ttl ||
    held.pollInterval !== snapshot.pollInterval ||
    // A good answer clears an earlier error: a change.
    held.lastError !== undefined
  ) {
    return false;
  }
  // The input request lives as long as the input_required episode; the same key is the same question.
  const asked = snapshot.inputRequest;
  if (snapshot.status !== 'input_required' ? held.inputRequest !== undefined : asked !== undefined && (asked.key === undefined || asked.key !== held.inputRequest?.key)) {
    return false;
  }
  return (
    (attribution.startedByUs !== true || held.startedByUs) &&
    (attribution.toolName === undefined || attribution.toolName === held.toolName) &&
    (attribution.toolArgs === undefined || attribution.toolArgs === held.toolArgs) &&
    (attribution.startedBy === undefined || attribution.startedBy === held.startedBy) &&
    (attribution.abandoned === undefined || attribution.abandoned === (held.abandoned === true))
  );
}

/** Equal as far as anyone looking can tell (`fetchedAt` aside): such an update fires no event. */
export function sameVisibleState(a: TrackedTask, b: TrackedTask): boolean {
  return (
    a.status === b.status &&
    a.rawStatus === b.rawStatus &&
    a.statusMessage === b.statusMessage &&
    a.createdAt === b.createdAt &&
    a.lastUpdatedAt === b.lastUpdatedAt &&
    a.ttl === b.ttl &&
    a.pollInterval === b.pollInterval &&
    a.toolName === b.toolName &&
    a.toolArgs === b.toolArgs &&
    a.startedByUs === b.startedByUs &&
    a.startedBy === b.startedBy &&
    a.abandoned === b.abandoned &&
    a.inputRequest === b.inputRequest &&
    a.lastError === b.lastError
  );
}
