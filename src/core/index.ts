/**
 * The one entry the hosts (the extension, the CLI) import the core through: the registry, the contracts
 * it implements, the ports a host supplies, the task model and the shared wording. Nothing here exposes
 * the SDK. Tests and benchmarks may reach deeper; hosts may not (scripts/check-layers.mjs).
 */
export * from './config';
export { McpBridge, type BridgeDefinition, type McpBridgeOptions } from './bridge/McpBridge';
export { offerVerdict, type OfferVerdict } from './bridge/offered';
export { CLIENT_INFO } from './connection/ServerConnection';
export { clipLine, describeStatus, fenced, formatAge, formatDuration, formatLocalTime, outcomePreview, outcomeToMarkdown, outcomeWholeText, shortId, shownStatus, statusWords, taskArguments, taskTitle, tellingArgument, timeLeftMs } from './format/taskText';
export type { ConnectionState, TaskCapabilities } from './model/ConnectionState';
export type { TaskChange, TaskPage, TaskStoreView } from './model/TaskChange';
export { TASK_STATUSES, isCancellable, isTerminal, taskKey, toTrackedStatus } from './model/TaskModel';
export type { InputRequest, TaskOutcome, TaskStatus, TaskSupport, ToolCallResult, ToolInfo, TrackedStatus, TrackedTask } from './model/TaskModel';
export { DEFAULT_CORE_SETTINGS } from './model/ports';
export type { CoreSettings, ElicitationHandler, InputResolver, KeyValueStorage, LogLevel, LogSink } from './model/ports';
export type { InventoryMode } from './protocol/createTaskProtocol';
export { TaskCapabilityError } from './protocol/taskGating';
export { ServerRegistry, type ServerRegistryOptions } from './servers/ServerRegistry';
export { TaskServer } from './servers/TaskServer';
export { hasLiveRememberedTasks, mergeKnownTasks } from './tasks/KnownTaskIds';
export type { ServerRegistryApi, TaskServerApi } from './servers/TaskServerApi';
export { Emitter, type Disposable, type Event } from './util/Emitter';
export { TaskRequestError, errorMessage } from './util/errors';
export { describeSimpleSchema, parseFieldValue, type SchemaField } from './util/schemaFields';
