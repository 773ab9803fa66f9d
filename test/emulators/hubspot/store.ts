// The HubSpot emulator's CRM: contacts (email unique, as HubSpot keeps it), tickets in pipelines, notes, and the
// associations between them; property, pipeline-stage and association-type checks like the CRM v3 API's.
import { hubspotError, objectNotFound, objectResource, propertyErrors, type HubSpotAssociation, type HubSpotObject, type ObjectType } from './resources.ts';

export type StoreResult = { status: number; json?: unknown };

export interface CrmSchema {
  pipelines: Record<string, string[]>;
  properties: Record<ObjectType, string[]>;
  /** Unique-value properties: the only ones a read by `idProperty` accepts. */
  uniqueProperties: string[];
  /** HubSpot's search index lags its writes by seconds: an object is searchable this long after it was made. */
  searchIndexDelayMs: number;
}

// HubSpot-defined association types this CRM accepts, by source and target.
const ASSOCIATION_TYPES: Record<string, { from: ObjectType; to: ObjectType }> = {
  15: { from: 'contacts', to: 'tickets' },
  16: { from: 'tickets', to: 'contacts' },
  202: { from: 'notes', to: 'contacts' },
  228: { from: 'notes', to: 'tickets' },
};
const PRIORITIES = new Set(['LOW', 'MEDIUM', 'HIGH', 'URGENT']);
type PropError = { name: string; error: string; message: string };
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

export class HubSpotStore {
  readonly objects: Record<ObjectType, HubSpotObject[]> = { contacts: [], tickets: [], notes: [] };
  readonly associations: HubSpotAssociation[] = [];
  private seq = 50_000;

  constructor(readonly schema: CrmSchema) {}

  find(type: ObjectType, id: string): HubSpotObject | undefined {
    return this.objects[type].find((o) => o.id === id);
  }

  search(type: ObjectType, body: Record<string, unknown>): StoreResult {
    const groups = Array.isArray(body.filterGroups) ? body.filterGroups.map(obj) : [];
    if (groups.length > 5 || groups.some((g) => !g || !Array.isArray(g.filters) || g.filters.length > 6)) return { status: 400, json: hubspotError('VALIDATION_ERROR', 'Invalid filterGroups: at most 5 groups of at most 6 filters') };
    const filters = groups.map((g) => (g?.filters as unknown[]).map(obj));
    for (const f of filters.flat()) {
      if (f?.operator !== 'EQ' || typeof f.propertyName !== 'string') return { status: 400, json: hubspotError('VALIDATION_ERROR', `Unsupported filter (the emulator knows EQ): ${JSON.stringify(f)}`) };
    }
    const matches = (o: HubSpotObject) => !filters.length || filters.some((group) => group.every((f) => o.properties[String(f?.propertyName)] === String(f?.value)));
    const indexed = Date.now() - this.schema.searchIndexDelayMs;
    const results = this.objects[type].filter((o) => Date.parse(o.createdAt) <= indexed && matches(o));
    const limit = typeof body.limit === 'number' ? Math.min(body.limit, 200) : 10;
    const props = Array.isArray(body.properties) ? body.properties.filter((p): p is string => typeof p === 'string') : undefined;
    return { status: 200, json: { total: results.length, results: results.slice(0, limit).map((o) => objectResource(o, props)) } };
  }

  create(type: ObjectType, body: Record<string, unknown>): StoreResult {
    const properties = this.stringProps(body.properties);
    const invalid = this.invalid(type, properties, true) ?? this.invalidAssociations(type, body.associations);
    if (invalid) return invalid;
    const email = properties.email?.toLowerCase();
    const dupe = type === 'contacts' && email ? this.objects.contacts.find((c) => c.properties.email?.toLowerCase() === email) : undefined;
    if (dupe) return { status: 409, json: hubspotError('CONFLICT', `Contact already exists. Existing ID: ${dupe.id}`) };
    const now = new Date().toISOString();
    const id = String(++this.seq);
    const o: HubSpotObject = { id, properties: { ...properties, hs_object_id: id, createdate: now, hs_lastmodifieddate: now }, createdAt: now, updatedAt: now };
    this.objects[type].push(o);
    for (const a of (body.associations as unknown[] | undefined) ?? []) {
      const spec = obj(a);
      const typeId = Number(obj((spec?.types as unknown[])[0])?.associationTypeId);
      this.associations.push({ fromType: type, fromId: id, toType: ASSOCIATION_TYPES[typeId]?.to ?? 'contacts', toId: String(obj(spec?.to)?.id), typeId });
    }
    return { status: 201, json: objectResource(o) };
  }

  read(type: ObjectType, id: string, idProperty: string | null, props: string[]): StoreResult {
    if (idProperty && !this.schema.uniqueProperties.includes(idProperty)) return { status: 400, json: hubspotError('VALIDATION_ERROR', `${idProperty} is not a unique property`) };
    const o = idProperty ? this.objects[type].find((x) => x.properties[idProperty] === id) : this.find(type, id);
    return o ? { status: 200, json: objectResource(o, props) } : { status: 404, json: objectNotFound(id) };
  }

  update(type: ObjectType, id: string, body: Record<string, unknown>): StoreResult {
    const o = this.find(type, id);
    if (!o) return { status: 404, json: objectNotFound(id) };
    const properties = this.stringProps(body.properties);
    const merged = { ...o.properties, ...properties };
    const invalid = this.invalid(type, properties, false, merged);
    if (invalid) return invalid;
    o.updatedAt = new Date().toISOString();
    Object.assign(o.properties, properties, { hs_lastmodifieddate: o.updatedAt });
    return { status: 200, json: objectResource(o) };
  }

  associated(type: ObjectType, id: string, toType: ObjectType): StoreResult {
    if (!this.find(type, id)) return { status: 404, json: objectNotFound(id) };
    const edges = this.associations.filter((a) => (a.fromType === type && a.fromId === id && a.toType === toType) || (a.toType === type && a.toId === id && a.fromType === toType));
    const results = edges.map((a) => ({ toObjectId: Number(a.fromType === type ? a.toId : a.fromId), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: a.typeId, label: null }] }));
    return { status: 200, json: { results } };
  }

  private stringProps(v: unknown): Record<string, string> {
    return Object.fromEntries(Object.entries(obj(v) ?? {}).map(([k, x]) => [k, x === null || x === undefined ? '' : String(x)]));
  }

  private invalid(type: ObjectType, props: Record<string, string>, creating: boolean, merged: Record<string, string | null> = props): StoreResult | undefined {
    const errors: PropError[] = Object.keys(props)
      .filter((name) => !this.schema.properties[type].includes(name))
      .map((name) => ({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` }));
    if (type === 'contacts' && props.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) errors.push({ name: 'email', error: 'INVALID_EMAIL', message: `Email address ${props.email} is invalid` });
    if (type === 'tickets') errors.push(...this.ticketErrors(props, creating, merged));
    if (type === 'notes' && creating && !props.hs_timestamp) errors.push({ name: 'hs_timestamp', error: 'REQUIRED_FIELD', message: 'hs_timestamp is required' });
    return errors.length ? { status: 400, json: propertyErrors(errors) } : undefined;
  }

  private ticketErrors(props: Record<string, string>, creating: boolean, merged: Record<string, string | null>): PropError[] {
    const errors: PropError[] = [];
    if (creating && !props.subject) errors.push({ name: 'subject', error: 'REQUIRED_FIELD', message: 'subject is required' });
    if (creating && !props.hs_pipeline_stage) errors.push({ name: 'hs_pipeline_stage', error: 'REQUIRED_FIELD', message: 'hs_pipeline_stage is required' });
    const pipeline = merged.hs_pipeline ?? '0';
    const stages = this.schema.pipelines[pipeline];
    if (!stages) errors.push({ name: 'hs_pipeline', error: 'INVALID_OPTION', message: `${pipeline} was not one of the allowed options` });
    else if (props.hs_pipeline_stage && !stages.includes(props.hs_pipeline_stage)) errors.push({ name: 'hs_pipeline_stage', error: 'INVALID_OPTION', message: `${props.hs_pipeline_stage} is not a valid stage of pipeline ${pipeline}` });
    if (props.hs_ticket_priority && !PRIORITIES.has(props.hs_ticket_priority)) errors.push({ name: 'hs_ticket_priority', error: 'INVALID_OPTION', message: `${props.hs_ticket_priority} was not one of the allowed options: [LOW, MEDIUM, HIGH, URGENT]` });
    return errors;
  }

  private invalidAssociations(type: ObjectType, value: unknown): StoreResult | undefined {
    for (const a of Array.isArray(value) ? value : []) {
      const spec = obj(a);
      const types = Array.isArray(spec?.types) ? spec.types.map(obj) : [];
      const typeId = Number(types[0]?.associationTypeId);
      const def = ASSOCIATION_TYPES[typeId];
      const toId = String(obj(spec?.to)?.id ?? '');
      if (!def || def.from !== type || types[0]?.associationCategory !== 'HUBSPOT_DEFINED') return { status: 400, json: hubspotError('VALIDATION_ERROR', `association type ${typeId} is not valid from ${type}`) };
      if (!this.find(def.to, toId)) return { status: 400, json: hubspotError('VALIDATION_ERROR', `One or more associations are invalid: ${def.to} ${toId} does not exist`) };
    }
    return undefined;
  }
}
