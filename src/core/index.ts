/**
 * The core's public surface for hosts (the VS Code layer, the CLI, benchmarks): the registry, the
 * contracts it implements, the ports a host supplies and the task model. Nothing here exposes the SDK.
 */
export type { ConnectionState, ServerRegistryApi, TaskCapabilities, TaskChange, TaskPage, TaskServerApi, TaskStoreView } from './api';
export type { HttpServerConfig, ServerConfig, StdioServerConfig, TransportKind } from './config/ServerConfig';
export { DEFAULT_CORE_SETTINGS } from './ports';
export type { CoreSettings, ElicitationHandler, InputResolver, KeyValueStorage, LogLevel, LogSink } from './ports';
export { TASK_STATUSES, isCancellable, isTerminal, toTrackedStatus } from './tasks/TaskModel';
export type { InputRequest, TaskOutcome, TaskStatus, TaskSupport, ToolCallResult, ToolInfo, TrackedStatus, TrackedTask } from './tasks/TaskModel';
export { ServerRegistry, type ServerRegistryOptions } from './servers/ServerRegistry';
export { TaskServer } from './servers/TaskServer';
export type { InventoryMode } from './protocol/createTaskProtocol';
export { TaskCapabilityError } from './protocol/taskGating';
export { TaskRequestError } from './util/errors';
export { Emitter, type Disposable, type Event } from './util/Emitter';
