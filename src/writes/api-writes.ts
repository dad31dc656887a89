import type { ApiRequester } from '../api/api-requester';
import { type EntityDetailResponseData, entityDetailOf } from '../api/entity-response';
import { schematicApi } from '../api/schematic-requesters';
import { sentFields, wireUpsertCompany, wireUpsertUser } from '../api/wire-bodies';
import { type EntityDetail, validKeys } from '../core/entity-details';
import { InvalidEntityError } from '../core/errors';
import type { EntityWrites, PartsHost } from '../core/parts';
import type { TrackBody, UpsertCompanyBody, UpsertUserBody } from '../core/types';

/**
 * Companies and users kept by Schematic: upserts go straight to its REST API (identify and track are events,
 * sent by the capture part).
 */
export class ApiWrites implements EntityWrites {
  private readonly api: ApiRequester;

  constructor(private readonly host: PartsHost) {
    this.api = schematicApi(host.options);
  }

  identify(): void {}

  track(_body: TrackBody): void | Promise<void> {}

  upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail> {
    return this.upsert('/companies', body);
  }

  upsertUser(body: UpsertUserBody): Promise<EntityDetail> {
    return this.upsert('/users', body);
  }

  private async upsert(path: '/companies' | '/users', body: UpsertCompanyBody | UpsertUserBody): Promise<EntityDetail> {
    const entity = path === '/companies' ? 'company' : 'user';
    if (!validKeys(body?.keys)) throw new InvalidEntityError(entity, 'keys', 'expected at least one non-empty string key');
    const wire = sentFields(this.host.options.logger, `upsert of a ${entity}`, path === '/companies' ? wireUpsertCompany(body) : wireUpsertUser(body as UpsertUserBody));
    let json: string;
    try {
      json = JSON.stringify(wire);
    } catch (error) {
      throw new InvalidEntityError(entity, 'body', `cannot be sent as JSON: ${(error as Error).message}`);
    }
    const data = await this.api.call<EntityDetailResponseData | undefined>({ method: 'POST', path, json });
    return entityDetailOf(data, path, body.keys);
  }
}

/**
 * The same, with each tracked event also counted into the company this process caches (DataStream, as
 * Schematic's SDK does), so limits answer at once.
 */
export class CountingApiWrites extends ApiWrites {
  constructor(
    host: PartsHost,
    private readonly count: (body: TrackBody) => void | Promise<void>,
  ) {
    super(host);
  }

  override track(body: TrackBody): void | Promise<void> {
    return this.count(body);
  }
}
