/**
 * The report path of one server: every report about a task (a reply, a poll, a listing, a push, an error)
 * ends here. It owns what the client knows about the server's tasks — the store the views read, the poll
 * schedule, whether pushes can be trusted, the ids this client created and the outcomes fetched — and keeps
 * them in step: a terminal task stops being polled and is settled in the known ids; a running one is polled
 * at its interval (slowly when the server pushes its changes). The inventory, the pushes and the results
 * fetcher report through it; none of them touches the store directly.
 */
import type { CoreSettings, KeyValueStorage, LogLevel } from '../model/ports';
import { isTerminal, type InputRequest, type TaskOutcome, type TrackedTask } from '../model/TaskModel';
import type { CreatedTask, TaskSnapshot } from '../protocol/TaskProtocol';
import { Emitter, type Event } from '../util/Emitter';
import { KnownTaskIds, rememberedArgs } from './KnownTaskIds';
import { repeatsHeld, type TaskAttribution } from './mergeTask';
import { PollScheduler } from './PollScheduler';
import { coveredSafetyNet, pollIntervalFor } from './pollIntervals';
import { PushTrust } from './PushTrust';
import { TaskInterest } from './TaskInterest';
import { TaskStore } from './TaskStore';

export type TrackerLog = (level: LogLevel, message: string) => void;

const NO_ATTRIBUTION: TaskAttribution = Object.freeze({});

export class TaskTracker {
  readonly store: TaskStore;
  private readonly known: KnownTaskIds;
  private readonly scheduler: PollScheduler;
  private readonly pushTrust = new PushTrust();
  private readonly interest = new TaskInterest();
  /** Final outcomes (a result, or an error that will not change), kept once known. */
  private readonly outcomes = new Map<string, TaskOutcome>();
  private poller: (taskIds: string[]) => Promise<void> = async () => undefined;
  private readonly inputEmitter = new Emitter<string>();
  /** A task waits for input (2025-11-25 delivers the question on an open `tasks/result`). */
  readonly onDidNeedInput: Event<string> = this.inputEmitter.event;
  private disposed = false;

  constructor(
    serverId: string,
    storage: KeyValueStorage,
    private readonly settings: () => CoreSettings,
    readonly log: TrackerLog,
  ) {
    this.store = new TaskStore(serverId);
    this.known = new KnownTaskIds(storage, serverId, (message) => log('warn', message));
    this.scheduler = new PollScheduler({ settings, poll: (ids) => this.poller(ids), onError: (message) => log('warn', message) });
  }

  /** Who answers the due polls (the inventory, which may answer many with one listing). */
  pollWith(poller: (taskIds: string[]) => Promise<void>): void {
    this.poller = poller;
  }

  /** Stores what the server said (`attribution`: what the known ids remember; `now`: one clock read for a whole page), then polls or settles the task. */
  apply(snapshot: TaskSnapshot, attribution?: TaskAttribution, now = Date.now()): TrackedTask {
    const held = this.store.get(snapshot.taskId);
    if (held !== undefined && isTerminal(held.status) && this.repeats(held, snapshot, attribution)) {
      // Most replies to a get or a listing: nothing to merge, announce or settle. It was settled when it ended, and
      // nothing takes an ended task back (follow and pushCoverage pass it by; pushed forgets its push).
      held.fetchedAt = now;
      if (snapshot.outcome) this.keepOutcome(held.taskId, snapshot.outcome);
      return held;
    }
    if (this.pushTrust.polled(snapshot.taskId, snapshot.lastUpdatedAt)) {
      this.log('info', 'the server does not push every status change; polling its tasks at the normal rate');
      for (const id of this.scheduler.trackedIds) this.scheduler.pollWithin(id, pollIntervalFor(this.settings(), this.store.get(id)?.pollInterval));
    }
    if (held) this.pushTrust.reportedAgain(snapshot.taskId, snapshot.lastUpdatedAt);
    // What the known ids remember, built only when the held task lacks it (polls of running tasks build nothing).
    const task = this.store.apply(snapshot, attribution ?? (held !== undefined && this.known.attributedIn(held) ? NO_ATTRIBUTION : this.known.attribution(snapshot.taskId)), now);
    if (snapshot.outcome) this.keepOutcome(task.taskId, snapshot.outcome);
    this.afterUpdate(task, changedAt(held, task));
    return task;
  }

  /** A status the server pushed: applied, and the task's polls slow down to the safety net. */
  pushed(snapshot: TaskSnapshot): void {
    const wasProven = this.pushTrust.proven;
    this.pushTrust.pushed(snapshot.taskId, snapshot.lastUpdatedAt);
    const task = this.apply(snapshot);
    if (isTerminal(task.status)) this.pushTrust.forget(task.taskId); // a repeated end is not settled again
    if (!wasProven && this.pushTrust.proven) {
      this.log('info', 'the server has pushed every change so far; its tasks are polled only as a rare safety net');
    }
  }

  /**
   * The server has said it pushes these tasks' changes (from their next report on, their polls slow to the
   * safety net), or no longer does (polled at their own rate again). See PushTrust.
   */
  pushCoverage(taskIds: readonly string[], covered: boolean): void {
    this.pushTrust.setCovered(covered ? taskIds.filter((id) => !this.ended(id)) : taskIds, covered);
    if (covered || this.disposed) return;
    for (const id of taskIds) {
      const task = this.store.get(id);
      if (task && !isTerminal(task.status)) this.scheduler.pollWithin(id, pollIntervalFor(this.settings(), task.pollInterval));
    }
  }

  /**
   * A task this client just created: remembered (to find it again after a restart) and looked at soon.
   * `startedBy` 'vscode': VS Code's client created it through the bridge, on this client's connection.
   */
  started(created: CreatedTask, toolName: string, toolArgs: Readonly<Record<string, unknown>>, requestedTtl: number, startedBy?: 'vscode'): TrackedTask {
    const { task: snapshot } = created;
    if (created.answeredAtOnce) {
      // Nothing on the server to follow or find again after a restart (it would only come back "expired").
      return this.apply(snapshot, { startedByUs: true, toolName, toolArgs, ...(startedBy ? { startedBy } : {}) });
    }
    const remembered = rememberedArgs(toolArgs);
    this.known.add({
      taskId: snapshot.taskId,
      toolName,
      ...(remembered !== undefined ? { toolArgs: remembered } : {}),
      ...(startedBy ? { startedBy } : {}),
      createdAt: Date.now(),
      ttl: snapshot.ttl !== undefined ? snapshot.ttl : requestedTtl,
    });
    if (created.immediateResponse !== undefined) {
      this.log('debug', `task ${snapshot.taskId}: ${created.immediateResponse}`);
    }
    this.interest.startedByUs(snapshot.taskId);
    const task = this.apply(snapshot, { startedByUs: true, toolName, toolArgs, ...(startedBy ? { startedBy } : {}) });
    // The reply is the state at creation; a first look soon after picks up the first progress (as the
    // SDK's own callToolStream does) instead of waiting a whole server interval.
    this.scheduler.pollWithin(task.taskId, this.settings().minPollIntervalMs);
    return task;
  }

  /** VS Code stopped (or resumed) waiting for a task it started: a note beside the server's report. */
  setAbandoned(taskId: string, abandoned: boolean): void {
    const held = this.store.get(taskId);
    if (!held || (held.abandoned === true) === abandoned) return;
    const { taskId: id, status, rawStatus, statusMessage, createdAt, lastUpdatedAt, ttl, pollInterval } = held;
    this.store.apply({ taskId: id, status, rawStatus, statusMessage, createdAt, lastUpdatedAt, ttl, pollInterval }, { abandoned }, held.fetchedAt);
  }

  /** The server no longer knows the task (-32602): shown as expired, never dropped. */
  expire(taskId: string): TrackedTask {
    const task = this.store.markExpired(taskId, this.known.attribution(taskId));
    this.afterUpdate(task);
    return task;
  }

  /** Asking about the task failed: the error is shown with the last known status, and polls back off. */
  failed(taskId: string, message: string): void {
    this.log('debug', `task ${taskId}: ${message}`);
    this.store.setLastError(taskId, message);
    const held = this.store.get(taskId);
    if (!this.disposed && (!held || !isTerminal(held.status))) {
      this.scheduler.failed(taskId);
    }
  }

  setInputRequest(taskId: string, request: InputRequest | undefined): void {
    this.store.setInputRequest(taskId, request);
    this.reconsider(taskId);
  }

  /**
   * The rows the view shows (undefined: no view, every task counts as shown). A task that comes into view is
   * polled at once; one that leaves it goes to the slow background cadence (see TaskInterest).
   */
  setShown(taskIds: readonly string[] | undefined): void {
    const { added, removed, everyTask } = this.interest.setShown(taskIds);
    for (const id of everyTask ? this.scheduler.trackedIds : [...added, ...removed]) this.reconsider(id);
  }

  /** A view limits what is polled at full rate (the rest is refreshed by slower sweeps, see SweepTimer). */
  get interestLimited(): boolean {
    return this.interest.limited;
  }

  /** The server's sweeps refresh the tasks nobody sees (it lists): they are not polled one by one. */
  setBackgroundSwept(swept: boolean): void {
    this.scheduler.setBackgroundSwept(swept);
  }

  /** Someone waits for the task (polled at its own rate) until the returned function is called. */
  hold(taskId: string): () => void {
    const release = this.interest.hold(taskId);
    this.reconsider(taskId);
    return () => {
      release();
      this.reconsider(taskId);
    };
  }

  outcome(taskId: string): TaskOutcome | undefined {
    return this.outcomes.get(taskId);
  }

  /** The first final outcome wins: a result never changes once the server has given it. */
  keepOutcome(taskId: string, outcome: TaskOutcome): void {
    if (!this.outcomes.has(taskId)) this.outcomes.set(taskId, outcome);
  }

  /** Some task this client created has not been seen to end: worth connecting for, even unasked. */
  hasLiveRemembered(): boolean {
    return this.known.all().some((k) => k.settledAt === undefined);
  }

  /** The ids this client created, oldest first. */
  knownIds(): string[] {
    return this.known.all().map((k) => k.taskId);
  }

  /** The running tasks the poller follows. */
  followed(): readonly string[] {
    return this.scheduler.trackedIds;
  }

  /** The followed tasks polled at their own interval (neither quiet nor push-fed). */
  followedBusy(): readonly string[] {
    return this.scheduler.busyIds;
  }

  /** Polls these tasks soon (a listing found them, or something happened that is worth a look). */
  follow(taskIds: readonly string[]): void {
    this.scheduler.pollSoon(taskIds.filter((id) => !this.ended(id)));
  }

  nextPollAt(taskId: string): number | undefined {
    return this.scheduler.nextPollAt(taskId);
  }

  setPaused(paused: boolean): void {
    this.scheduler.setPaused(paused);
  }

  /** The connection is gone: nothing is polled, and nothing is known about the next one's pushes. */
  disconnected(): void {
    this.scheduler.clear();
    this.pushTrust.reset();
  }

  /** Tasks remembered from earlier sessions are shown at once, before the server answers (see KnownTaskIds). */
  showRemembered(): void {
    this.known.prune();
    this.known.showIn(this.store);
  }

  /** Forgets known ids past their time, except those of tasks still running. */
  pruneKnown(): void {
    this.known.prune(Date.now(), (taskId) => {
      const task = this.store.get(taskId);
      return task !== undefined && !isTerminal(task.status);
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.scheduler.dispose();
    this.inputEmitter.dispose();
    this.store.dispose();
    await this.known.flushed();
  }

  private afterUpdate(task: TrackedTask, changed?: number): void {
    if (this.disposed) return;
    if (isTerminal(task.status)) {
      this.interest.ended(task.taskId);
      this.scheduler.untrack(task.taskId);
      this.pushTrust.forget(task.taskId);
      this.known.settle(task.taskId, task.status === 'expired');
      return;
    }
    const feed = this.pushTrust.feed(task.taskId);
    const pushFed = feed === 'covered' ? coveredSafetyNet(this.settings(), this.pushTrust.coveredCount) : feed;
    const { pollInterval, lastUpdatedAt } = task;
    const expiresAt = typeof task.ttl === 'number' && task.createdAt ? Date.parse(task.createdAt) + task.ttl : undefined;
    this.scheduler.track(task.taskId, { pollInterval, pushFed, changedAt: changed, background: !this.interest.wants(task), lastUpdatedAt, expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined });
    if (task.status === 'input_required') this.inputEmitter.fire(task.taskId);
  }

  /** Merging would give `held` again (nor does what the known ids remember add anything); never a task shown from memory. */
  private repeats(held: TrackedTask, snapshot: TaskSnapshot, attribution: TaskAttribution | undefined): boolean {
    return held.fetchedAt !== 0 && repeatsHeld(held, snapshot, attribution ?? NO_ATTRIBUTION) && (attribution !== undefined || this.known.attributedIn(held));
  }

  /** Seen ended on the server: its status will not change again (a task shown from memory is not confirmed yet). */
  private ended(taskId: string): boolean {
    const task = this.store.get(taskId);
    return task !== undefined && task.fetchedAt !== 0 && isTerminal(task.status);
  }

  /** Moves a running task between its own rate and the background cadence, as interest in it says. */
  private reconsider(taskId: string): void {
    const task = this.store.get(taskId);
    if (task && !isTerminal(task.status)) this.scheduler.setBackground(taskId, !this.interest.wants(task));
  }
}

/**
 * When the task last changed, if this report says so (undefined: nothing new). At first sight the server's
 * own last update counts (a task quiet for an hour is not polled as if it had just changed), never later
 * than now.
 */
function changedAt(held: TrackedTask | undefined, task: TrackedTask): number | undefined {
  if (held === undefined || held.fetchedAt === 0) {
    const t = task.lastUpdatedAt !== undefined ? Date.parse(task.lastUpdatedAt) : NaN;
    return Number.isFinite(t) ? Math.min(t, Date.now()) : Date.now();
  }
  return held.status !== task.status || held.lastUpdatedAt !== task.lastUpdatedAt || held.statusMessage !== task.statusMessage ? Date.now() : undefined;
}
