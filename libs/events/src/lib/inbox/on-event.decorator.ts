import type { EventDefinition } from '@enforcement/contracts';
import type { DescMessage } from '@bufbuild/protobuf';
import type { EventHandlerFn } from './event-handler';

export const ON_EVENT_METADATA = 'enforcement:on-event';

/**
 * Marks a provider method as the handler of one event type. The method runs inside the inbox
 * transaction, once per event, whichever transport delivered it:
 *
 *   @OnEvent(Events.OfficerRegistered)
 *   async onOfficerRegistered(event: OfficerRegistered, { manager }: EventContext) { ... }
 */
export function OnEvent<Desc extends DescMessage>(definition: EventDefinition<Desc>) {
  return (_target: object, _propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<EventHandlerFn<Desc>>): void => {
    if (!descriptor.value) throw new Error('@OnEvent goes on a method');
    Reflect.defineMetadata(ON_EVENT_METADATA, definition, descriptor.value);
  };
}
