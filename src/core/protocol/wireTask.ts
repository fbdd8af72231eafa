/**
 * Reading a 2025-11-25 `Task` object without trusting it. Servers are written by anyone: a status we do not
 * know, a missing `ttl`, a `pollInterval` of 0 or a number sent as a string must not break the view, so each
 * field is taken when it is usable and reported as an issue (for the log) when it is not.
 */
import { taskStatusOf, toTrackedStatus } from '../model/TaskModel';
import type { TaskSnapshot } from './TaskProtocol';

/** A status line, not a document: what a tree item or a hover can show (a server once sent a megabyte). */
export const MAX_STATUS_MESSAGE = 4_000;

export interface WireTaskReading {
  /** Undefined when there is no usable `taskId`: nothing can be tracked. */
  readonly task?: TaskSnapshot;
  readonly issues: readonly string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === undefined ? 'missing' : `${JSON.stringify(v)?.slice(0, 60)}`;
}

/** Where a generation keeps the two fields whose names differ (2026-07-28: `ttlMs`, `pollIntervalMs`). */
export interface WireFieldValues {
  readonly ttl: unknown;
  readonly pollInterval: unknown;
}

const NO_ISSUES: readonly string[] = Object.freeze([]);

/**
 * Read on every poll reply and every listed task: no closures, no intermediate objects, an issues array
 * only when there is an issue (a well-formed task costs one object, the snapshot).
 */
export function readWireTask(raw: unknown, fields?: WireFieldValues): WireTaskReading {
  if (!isRecord(raw)) {
    return { issues: [`task is not an object: ${describe(raw)}`] };
  }
  const taskId = raw.taskId;
  if (typeof taskId !== 'string' || taskId === '') {
    return { issues: [`task without a usable taskId: ${describe(taskId)}`] };
  }
  let issues: string[] | undefined;

  const task: { -readonly [K in keyof TaskSnapshot]: TaskSnapshot[K] } = { taskId, status: 'unknown' };
  const rawStatus = raw.status;
  const status = typeof rawStatus === 'string' ? taskStatusOf(rawStatus) : undefined;
  if (status !== undefined) {
    task.status = status;
  } else {
    task.rawStatus = toTrackedStatus(rawStatus).rawStatus;
    issues = noted(issues, `unknown status ${describe(rawStatus)}`);
  }

  const statusMessage = raw.statusMessage;
  if (typeof statusMessage === 'string') {
    if (statusMessage.length > MAX_STATUS_MESSAGE) {
      issues = noted(issues, `statusMessage longer than ${MAX_STATUS_MESSAGE} characters, cut`);
      task.statusMessage = `${statusMessage.slice(0, MAX_STATUS_MESSAGE)}…`;
    } else {
      task.statusMessage = statusMessage;
    }
  } else if (statusMessage !== undefined && statusMessage !== null) {
    issues = noted(issues, `statusMessage is not a string: ${describe(statusMessage)}`);
  }

  const createdAt = raw.createdAt;
  if (isIsoDate(createdAt)) task.createdAt = createdAt;
  else issues = noted(issues, `createdAt is not an ISO 8601 date: ${describe(createdAt)}`);
  const lastUpdatedAt = raw.lastUpdatedAt;
  if (isIsoDate(lastUpdatedAt)) task.lastUpdatedAt = lastUpdatedAt;
  else issues = noted(issues, `lastUpdatedAt is not an ISO 8601 date: ${describe(lastUpdatedAt)}`);

  // The spec: milliseconds or null (unlimited). A negative or non-number ttl says nothing usable.
  const ttl = fields ? fields.ttl : raw.ttl;
  if (ttl === null || (typeof ttl === 'number' && Number.isFinite(ttl) && ttl >= 0)) {
    task.ttl = ttl;
  } else {
    issues = noted(issues, `ttl is not a non-negative number or null: ${describe(ttl)}`);
  }

  // 0 or negative would mean "poll in a busy loop": dropped here; the scheduler clamps the rest.
  const pollInterval = fields ? fields.pollInterval : raw.pollInterval;
  if (typeof pollInterval === 'number' && Number.isFinite(pollInterval) && pollInterval > 0) {
    task.pollInterval = pollInterval;
  } else if (pollInterval !== undefined) {
    issues = noted(issues, `pollInterval is not a positive number: ${describe(pollInterval)}`);
  }
  return { task, issues: issues ?? NO_ISSUES };
}

function noted(issues: string[] | undefined, text: string): string[] {
  (issues ??= []).push(text);
  return issues;
}

/**
 * `YYYY-MM-DDTHH:mm:ss[.sss]Z` with every field in range: a form `Date.parse` always reads (it takes any
 * day up to 31 in any month). It is what servers send, and matching it costs a sixth of a `Date.parse`:
 * two per listed task add up on every listing.
 */
const USUAL_ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3})?Z$/;

function isIsoDate(v: unknown): v is string {
  return typeof v === 'string' && (USUAL_ISO_DATE.test(v) || !Number.isNaN(Date.parse(v)));
}
