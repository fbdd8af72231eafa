/**
 * Reading a 2025-11-25 `Task` object without trusting it. Servers are written by anyone: a status we do not
 * know, a missing `ttl`, a `pollInterval` of 0 or a number sent as a string must not break the view, so each
 * field is taken when it is usable and reported as an issue (for the log) when it is not.
 */
import { toTrackedStatus } from '../model/TaskModel';
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

export function readWireTask(raw: unknown): WireTaskReading {
  const issues: string[] = [];
  if (!isRecord(raw)) {
    return { issues: [`task is not an object: ${describe(raw)}`] };
  }
  if (typeof raw.taskId !== 'string' || raw.taskId === '') {
    return { issues: [`task without a usable taskId: ${describe(raw.taskId)}`] };
  }

  const { status, rawStatus } = toTrackedStatus(raw.status);
  if (status === 'unknown') {
    issues.push(`unknown status ${describe(raw.status)}`);
  }

  let statusMessage: string | undefined;
  if (typeof raw.statusMessage === 'string') {
    statusMessage = raw.statusMessage;
    if (statusMessage.length > MAX_STATUS_MESSAGE) {
      issues.push(`statusMessage longer than ${MAX_STATUS_MESSAGE} characters, cut`);
      statusMessage = `${statusMessage.slice(0, MAX_STATUS_MESSAGE)}…`;
    }
  } else if (raw.statusMessage !== undefined && raw.statusMessage !== null) {
    issues.push(`statusMessage is not a string: ${describe(raw.statusMessage)}`);
  }

  const timestamp = (field: 'createdAt' | 'lastUpdatedAt'): string | undefined => {
    const v = raw[field];
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) {
      return v;
    }
    issues.push(`${field} is not an ISO 8601 date: ${describe(v)}`);
    return undefined;
  };
  const createdAt = timestamp('createdAt');
  const lastUpdatedAt = timestamp('lastUpdatedAt');

  // The spec: milliseconds or null (unlimited). A negative or non-number ttl says nothing usable.
  let ttl: number | null | undefined;
  if (raw.ttl === null) {
    ttl = null;
  } else if (typeof raw.ttl === 'number' && Number.isFinite(raw.ttl) && raw.ttl >= 0) {
    ttl = raw.ttl;
  } else {
    issues.push(`ttl is not a non-negative number or null: ${describe(raw.ttl)}`);
  }

  // 0 or negative would mean "poll in a busy loop": dropped here; the scheduler clamps the rest.
  let pollInterval: number | undefined;
  if (typeof raw.pollInterval === 'number' && Number.isFinite(raw.pollInterval) && raw.pollInterval > 0) {
    pollInterval = raw.pollInterval;
  } else if (raw.pollInterval !== undefined) {
    issues.push(`pollInterval is not a positive number: ${describe(raw.pollInterval)}`);
  }

  const task: TaskSnapshot = {
    taskId: raw.taskId,
    status,
    ...(rawStatus !== undefined ? { rawStatus } : {}),
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(lastUpdatedAt !== undefined ? { lastUpdatedAt } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
    ...(pollInterval !== undefined ? { pollInterval } : {}),
  };
  return { task, issues };
}
