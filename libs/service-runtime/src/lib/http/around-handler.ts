import { Req } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { HttpRequest as Request } from '@enforcement/auth';

/**
 * Work done around a route's handler: `run` calls the handler (or the next wrapper in), and what the wrapper
 * returns is what the route answers. `request` is undefined when a test calls the handler as a plain method.
 */
export type HandlerWrapper<Controller extends object = object> = (
  request: Request | undefined,
  run: () => Promise<unknown>,
  controller: Controller,
) => Promise<unknown>;

type Handler = (this: object, ...args: unknown[]) => unknown;

const HANDLER_WRAPPERS = 'enforcement:handler-wrappers';

/** The wrappers around a route's handler, outermost first: for checking that a kind of route has its wrapper. */
export function handlerWrappersOf(handler: object): readonly HandlerWrapper<never>[] {
  return (Reflect.getOwnMetadata(HANDLER_WRAPPERS, handler) as HandlerWrapper<never>[] | undefined) ?? [];
}

/** Applies to one route, or to every route of a controller class. */
export interface AroundHandlerDecorator<Controller extends object> {
  (target: abstract new (...args: never[]) => Controller): void;
  (target: Controller, key: string | symbol, descriptor: PropertyDescriptor): void;
}

/**
 * Runs `wrapper` around a route's handler, as a Nest interceptor would, as a plain async function. Interceptors
 * are dear on Node 20: each costs a request an rxjs pipeline and AsyncResource.bind calls, and every bind
 * defines a deprecated property (microseconds apiece). The two around a recorded step were an eighth of its CPU.
 *
 * The handler's own parameters are untouched. The request reaches the wrapper as one more argument, an @Req()
 * past the declared ones that Nest fills and the wrapper takes off again. Nest reads a route's metadata off its
 * handler function, so the wrapping function carries what the decorators below this one put there; those above
 * it put theirs on the wrapping function itself. On a class, every route of the class is wrapped, outside any
 * wrapper of the route's own (as Nest runs a class's interceptors before a method's). Unlike an interceptor, a
 * wrapper runs after the pipes: a request they refuse never reaches it.
 */
export function AroundHandler<Controller extends object>(wrapper: HandlerWrapper<Controller>): AroundHandlerDecorator<Controller> {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (key !== undefined && descriptor !== undefined) {
      wrapRoute(target, key, descriptor, wrapper as HandlerWrapper);
      return;
    }
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Reflect.ownKeys(prototype)) {
      const own = Reflect.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof own?.value !== 'function' || !Reflect.hasOwnMetadata(PATH_METADATA, own.value as object))
        continue;
      wrapRoute(prototype, name, own, wrapper as HandlerWrapper);
      Reflect.defineProperty(prototype, name, own);
    }
  }) as AroundHandlerDecorator<Controller>;
}

function wrapRoute(prototype: object, key: string | symbol, descriptor: PropertyDescriptor, wrapper: HandlerWrapper): void {
  const handler = descriptor.value as Handler;
  const requestIndex = nextArgumentIndex(prototype, key, handler);
  Req()(prototype, key, requestIndex);
  const wrapped = function (this: object, ...args: unknown[]): Promise<unknown> {
    const request = args[requestIndex] as Request | undefined;
    const own = args.slice(0, requestIndex);
    return wrapper(request, async () => handler.apply(this, own), this);
  };
  for (const metadataKey of Reflect.getOwnMetadataKeys(handler)) {
    Reflect.defineMetadata(metadataKey, Reflect.getOwnMetadata(metadataKey, handler), wrapped);
  }
  Reflect.defineMetadata(HANDLER_WRAPPERS, [wrapper, ...handlerWrappersOf(handler)], wrapped);
  // Nest and the certificate guard find a handler's parameters under its name.
  Object.defineProperty(wrapped, 'name', { value: handler.name });
  descriptor.value = wrapped;
}

/** The first argument position past every parameter the handler declares or Nest fills for it. */
function nextArgumentIndex(prototype: object, key: string | symbol, handler: Handler): number {
  const declared = (Reflect.getMetadata(ROUTE_ARGS_METADATA, prototype.constructor, key) ?? {}) as Record<string, { index: number }>;
  return Math.max(handler.length, ...Object.values(declared).map((argument) => argument.index + 1));
}
