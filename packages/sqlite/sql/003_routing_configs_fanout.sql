-- evroute's optional fan-out flag: 1 = also run this route when a higher-priority route matches.
ALTER TABLE routing_configs ADD COLUMN fanout TINYINT NOT NULL DEFAULT 0;
