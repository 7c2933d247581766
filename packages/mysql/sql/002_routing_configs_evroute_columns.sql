-- evroute's optional routing columns. MySqlConfigSource reads them when present and works without them.
--   outputs_json: per-route output rebinding, a JSON object of output name -> {"sink": "...", "target": "..."} or null
--   fanout: 1 = also run this route when a higher-priority route matches the same domain:type
-- migrate() treats "duplicate column" (errno 1060) as already applied, so this also runs on MySQL 8,
-- which has no ADD COLUMN IF NOT EXISTS.
ALTER TABLE routing_configs ADD COLUMN outputs_json TEXT NULL COMMENT 'evroute: output bindings (JSON object)';
ALTER TABLE routing_configs ADD COLUMN fanout TINYINT NOT NULL DEFAULT 0 COMMENT 'evroute: run beside higher-priority routes';
