/** Injection tokens of the runtime, in a file of their own so that the modules using them import no module. */

/** The service's validated configuration (ServiceConfig). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

/** The service's object storage (ObjectStorage): MinIO/S3 or local disk. */
export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');
