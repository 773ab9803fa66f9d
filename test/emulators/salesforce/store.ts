// The Salesforce emulator's org: Contacts, Cases and CaseComments with the standard fields' rules (required
// fields, lengths, restricted picklists, lookups), upsert by a unique External ID field (atomic), and the one SOQL
// shape the help desk sends (`SELECT f FROM T WHERE f = '…' LIMIT n`).
import { KEY_PREFIX, notFound, recordId, sfError, type SfRecord, type SObjectType } from './resources.ts';

export type StoreResult = { status: number; json?: unknown };

interface FieldRule {
  max?: number;
  picklist?: string[];
  lookup?: SObjectType;
  boolean?: boolean;
}

export interface OrgSchema {
  fields: Record<SObjectType, Record<string, FieldRule>>;
  required: Record<SObjectType, string[]>;
  externalIds: Partial<Record<SObjectType, string>>;
  defaults: Partial<Record<SObjectType, Record<string, string>>>;
}

const SOQL = /^SELECT\s+([\w\s,]+?)\s+FROM\s+(\w+)\s+WHERE\s+(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'(?:\s+LIMIT\s+(\d+))?\s*$/i;
const unescapeSoql = (s: string) => s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
const isType = (t: string): t is SObjectType => t in KEY_PREFIX;

export class SalesforceStore {
  readonly records: Record<SObjectType, SfRecord[]> = { Contact: [], Case: [], CaseComment: [] };
  private seq = 0;

  constructor(private readonly schema: OrgSchema, private readonly instanceUrl: () => string, private readonly version: () => string) {}

  find(type: SObjectType, id: string): SfRecord | undefined {
    return this.records[type].find((r) => r.Id === id || r.Id.slice(0, 15) === id);
  }

  upsert(type: SObjectType, field: string, value: string, body: Record<string, unknown>): StoreResult {
    if (this.schema.externalIds[type] !== field) return { status: 404, json: sfError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${field}`) };
    const { [field]: _ignored, ...fields } = body;
    const existing = this.records[type].find((r) => r[field] === value);
    const invalid = this.invalid(type, fields, !existing);
    if (invalid) return invalid;
    if (existing) {
      Object.assign(existing, fields);
      return { status: 200, json: { id: existing.Id, success: true, errors: [], created: false } };
    }
    const record = this.insert(type, { ...fields, [field]: value });
    return { status: 201, json: { id: record.Id, success: true, errors: [], created: true } };
  }

  create(type: SObjectType, body: Record<string, unknown>): StoreResult {
    const invalid = this.invalid(type, body, true);
    if (invalid) return invalid;
    return { status: 201, json: { id: this.insert(type, body).Id, success: true, errors: [] } };
  }

  update(type: SObjectType, id: string, body: Record<string, unknown>): StoreResult {
    const record = this.find(type, id);
    if (!record) return { status: 404, json: notFound };
    const invalid = this.invalid(type, body, false);
    if (invalid) return invalid;
    Object.assign(record, body);
    return { status: 204 };
  }

  query(soql: string): StoreResult {
    const m = SOQL.exec(soql.trim());
    if (!m) return { status: 400, json: sfError('MALFORMED_QUERY', `unexpected token in: ${soql}`) };
    const [, select = '', type = '', field = '', literal = '', limit] = m;
    if (!isType(type)) return { status: 400, json: sfError('INVALID_TYPE', `sObject type '${type}' is not supported.`) };
    const known = (f: string) => f === 'Id' || f in this.schema.fields[type];
    const columns = select.split(',').map((c) => c.trim());
    const unknown = [...columns, field].find((f) => !known(f));
    if (unknown) return { status: 400, json: sfError('INVALID_FIELD', `No such column '${unknown}' on entity '${type}'.`) };
    const value = unescapeSoql(literal);
    const rows = this.records[type].filter((r) => String(r[field] ?? '') === value).slice(0, limit ? Number(limit) : undefined);
    const records = rows.map((r) => ({ attributes: { type, url: `/services/data/v${this.version()}/sobjects/${type}/${r.Id}` }, ...Object.fromEntries(columns.map((c) => [c, r[c] ?? null])) }));
    return { status: 200, json: { totalSize: records.length, done: true, records } };
  }

  private insert(type: SObjectType, fields: Record<string, unknown>): SfRecord {
    const record: SfRecord = { Id: recordId(KEY_PREFIX[type], ++this.seq), ...this.schema.defaults[type], ...(fields as Record<string, string | boolean | null>) };
    this.records[type].push(record);
    return record;
  }

  private invalid(type: SObjectType, fields: Record<string, unknown>, creating: boolean): StoreResult | undefined {
    const rules = this.schema.fields[type];
    for (const [name, value] of Object.entries(fields)) {
      const rule = rules[name];
      if (!rule) return { status: 400, json: sfError('INVALID_FIELD', `No such column '${name}' on sobject of type ${type}`) };
      if (rule.boolean ? typeof value !== 'boolean' : value !== null && typeof value !== 'string') return { status: 400, json: sfError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${rule.boolean ? 'boolean' : 'string'} from ${typeof value} value for ${type}.${name}`) };
      if (typeof value !== 'string') continue;
      if (rule.max && value.length > rule.max) return { status: 400, json: sfError('STRING_TOO_LONG', `${name}: data value too large: ${value.slice(0, 20)}... (max length=${rule.max})`, [name]) };
      if (rule.picklist && !rule.picklist.includes(value)) return { status: 400, json: sfError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${name}: bad value for restricted picklist field: ${value}`, [name]) };
      if (rule.lookup && !this.find(rule.lookup, value)) return { status: 400, json: sfError(/^[A-Za-z0-9]{15,18}$/.test(value) ? 'FIELD_INTEGRITY_EXCEPTION' : 'MALFORMED_ID', `${name}: id value of incorrect type: ${value}`, [name]) };
    }
    const missing = creating ? this.schema.required[type].filter((f) => fields[f] === undefined || fields[f] === null || fields[f] === '') : [];
    if (missing.length) return { status: 400, json: sfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing) };
    return undefined;
  }
}
