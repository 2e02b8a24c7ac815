-- Orleans ADO.NET clustering, grain storage and reminders on PostgreSQL: tables, and the query texts the
-- providers read from OrleansQuery at start-up (Orleans 10.4.2 contract: parameter names and result column
-- names below are fixed by the providers; everything else is ours).
--
-- Idempotent (IF NOT EXISTS, ON CONFLICT) so a half-applied or replayed file does no harm; the migrator also
-- records it in gnlc_schema_version so it normally runs once. Never edit this file once released: add 0002_*.sql.
--
-- Conventions: snake_case columns, results aliased to the names the providers read; every time is timestamptz
-- (the providers bind UTC DateTime values, which Npgsql sends as timestamptz); one plain statement per query
-- (no plpgsql), so every provider call is one round trip and one atomic statement.

-- The providers run exactly "SELECT QueryKey, QueryText FROM OrleansQuery", so this one name is fixed.
CREATE TABLE IF NOT EXISTS OrleansQuery (
  QueryKey  text PRIMARY KEY,
  QueryText text NOT NULL
);

-- ---------------------------------------------------------------------------------------------------------
-- Clustering
-- ---------------------------------------------------------------------------------------------------------

-- One row per cluster (the providers call it DeploymentId): the membership table's version, which every
-- membership change bumps with a compare-and-set.
CREATE TABLE IF NOT EXISTS orleans_membership_version (
  deployment_id text        PRIMARY KEY,
  version       integer     NOT NULL DEFAULT 0,
  modified_on   timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation). Deleting the cluster's version row removes its
-- members too. fillfactor leaves room on each page so that I-am-alive updates can be HOT updates.
CREATE TABLE IF NOT EXISTS orleans_membership (
  deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
  address         text        NOT NULL,
  port            integer     NOT NULL,
  generation      integer     NOT NULL,
  silo_name       text        NOT NULL,
  host_name       text        NOT NULL,
  status          integer     NOT NULL,
  proxy_port      integer     NOT NULL,
  suspect_times   text,
  start_time      timestamptz NOT NULL,
  i_am_alive_time timestamptz NOT NULL,
  CONSTRAINT orleans_membership_pkey PRIMARY KEY (deployment_id, address, port, generation)
) WITH (fillfactor = 80);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- Creates the cluster's version row once; a single boolean: whether this call created it.
('InsertMembershipVersionKey', $q$
WITH created AS (
  INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
  ON CONFLICT (deployment_id) DO NOTHING
  RETURNING 1)
SELECT EXISTS (SELECT 1 FROM created)
$q$),

-- The version row always comes back (LEFT JOIN): the provider takes the table version from the first row and
-- treats a row without StartTime as "no member".
('MembershipReadAllKey', $q$
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadRowKey', $q$
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
  ON m.deployment_id = v.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

-- Compare-and-set on the table version (@Version is the version the caller read), then the insert, in one
-- statement. Locking the version row first serialises writers; a writer that lost the race re-checks the
-- version after the lock and finds it moved, so it changes nothing and returns false.
('InsertMembershipKey', $q$
WITH bumped AS (
  UPDATE orleans_membership_version
  SET version = version + 1, modified_on = now()
  WHERE deployment_id = @DeploymentId AND version = @Version
    AND NOT EXISTS (
      SELECT 1 FROM orleans_membership
      WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
  RETURNING deployment_id),
inserted AS (
  INSERT INTO orleans_membership
    (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
  SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
  FROM bumped
  RETURNING 1)
SELECT EXISTS (SELECT 1 FROM inserted)
$q$),

('UpdateMembershipKey', $q$
WITH bumped AS (
  UPDATE orleans_membership_version
  SET version = version + 1, modified_on = now()
  WHERE deployment_id = @DeploymentId AND version = @Version
    AND EXISTS (
      SELECT 1 FROM orleans_membership
      WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
  RETURNING deployment_id),
updated AS (
  UPDATE orleans_membership m
  SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
  FROM bumped
  WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
  RETURNING 1)
SELECT EXISTS (SELECT 1 FROM updated)
$q$),

-- Heartbeats do not change the table version (the membership protocol does not expect them to).
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Clients ask with @Status = Active; silos without a gateway have proxy port 0.
('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- The version row's ON DELETE CASCADE removes the members in the same statement.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Fallback the provider uses only when CleanupDefunctSiloEntryKey is missing; required at start-up all the
-- same. Status 6 = Dead.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = 6
  AND i_am_alive_time < @IAmAliveTime AND start_time < @IAmAliveTime
$q$),

-- 10.4.2 decides eligibility in .NET from a fresh read and deletes one row at a time, but only if the row still
-- holds the values it judged (a silo that woke up or was voted on since then is left alone).
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6 AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- ---------------------------------------------------------------------------------------------------------
-- Grain storage
-- ---------------------------------------------------------------------------------------------------------

-- One row per stored grain state, with a real key. grain_type is what the provider sends as GrainTypeString
-- (the state name, ORLEANS-FACTS #8746). The provider splits the grain id into N0/N1 (integer and Guid keys)
-- and an extension string (string keys, key extensions). A NULL extension is stored as '' plus
-- has_extension = false so that every key column is NOT NULL: the key is then a primary key and every lookup
-- an index equality (IS NOT DISTINCT FROM would not use the index). Key columns share one btree entry, so
-- state name plus string key should stay well under ~2,500 bytes.
CREATE TABLE IF NOT EXISTS orleans_storage (
  service_id         text        NOT NULL,
  grain_type         text        NOT NULL,
  grain_id_n0        bigint      NOT NULL,
  grain_id_n1        bigint      NOT NULL,
  grain_id_extension text        NOT NULL,
  has_extension      boolean     NOT NULL,
  payload            bytea,
  version            integer     NOT NULL,
  modified_on        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orleans_storage_pkey
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, has_extension)
) WITH (fillfactor = 90);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- No row: no state yet (the provider creates a default state and a NULL ETag).
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_storage
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '') AND has_extension = (@GrainIdExtensionString IS NOT NULL)
$q$),

-- @GrainStateVersion is the ETag the grain holds: NULL for a state it has never seen stored. With an ETag,
-- update only if the stored version still equals it; without, insert only if no row exists (the primary key
-- makes ON CONFLICT DO NOTHING race-free between two activations). No row back means a stale write: the
-- provider then throws InconsistentStateException. A stale ETag on a deleted row is a conflict too, not a
-- silent re-insert.
('WriteToStorageKey', $q$
WITH updated AS (
  UPDATE orleans_storage
  SET payload = @PayloadBinary, version = version + 1, modified_on = now()
  WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
    AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
    AND grain_id_extension = coalesce(@GrainIdExtensionString, '') AND has_extension = (@GrainIdExtensionString IS NOT NULL)
    AND version = @GrainStateVersion
  RETURNING version),
inserted AS (
  INSERT INTO orleans_storage
    (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, has_extension, payload, version)
  SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
         coalesce(@GrainIdExtensionString, ''), @GrainIdExtensionString IS NOT NULL, @PayloadBinary, 1
  WHERE @GrainStateVersion IS NULL
  ON CONFLICT ON CONSTRAINT orleans_storage_pkey DO NOTHING
  RETURNING version)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted
$q$),

-- Keeps the row (and its version sequence, so an old ETag can never match again) and drops the payload.
('ClearStorageKey', $q$
UPDATE orleans_storage
SET payload = NULL, version = version + 1, modified_on = now()
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '') AND has_extension = (@GrainIdExtensionString IS NOT NULL)
  AND version = @GrainStateVersion
RETURNING version AS "NewGrainStateVersion"
$q$),

-- Used with DeleteStateOnClear = true. The provider reads an unchanged version as a conflict, so a successful
-- delete reports the version after the deleted one.
('DeleteStorageKey', $q$
DELETE FROM orleans_storage
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '') AND has_extension = (@GrainIdExtensionString IS NOT NULL)
  AND version = @GrainStateVersion
RETURNING version + 1 AS "NewGrainStateVersion"
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- ---------------------------------------------------------------------------------------------------------
-- Reminders
-- ---------------------------------------------------------------------------------------------------------

-- period in milliseconds. grain_hash is the grain's uniform hash as the provider binds it: a uint cast to a
-- signed integer.
CREATE TABLE IF NOT EXISTS orleans_reminders (
  service_id    text        NOT NULL,
  grain_id      text        NOT NULL,
  reminder_name text        NOT NULL,
  start_time    timestamptz NOT NULL,
  period        bigint      NOT NULL,
  grain_hash    integer     NOT NULL,
  version       integer     NOT NULL,
  CONSTRAINT orleans_reminders_pkey PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo loads the reminders of its slice of the hash ring.
CREATE INDEX IF NOT EXISTS orleans_reminders_hash_ix ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- The ring range (@BeginHash, @EndHash] when it does not wrap in signed order (the provider picks the query).
('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

-- The range wraps past the signed maximum (or is the whole ring, @BeginHash = @EndHash).
('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

-- Returns the new ETag; every upsert changes it, so a remove with an older ETag fails.
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT ON CONSTRAINT orleans_reminders_pkey DO UPDATE
SET start_time = EXCLUDED.start_time, period = EXCLUDED.period, grain_hash = EXCLUDED.grain_hash, version = r.version + 1
RETURNING r.version AS "Version"
$q$),

('DeleteReminderRowKey', $q$
WITH deleted AS (
  DELETE FROM orleans_reminders
  WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
  RETURNING 1)
SELECT EXISTS (SELECT 1 FROM deleted)
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
