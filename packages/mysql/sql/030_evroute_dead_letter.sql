-- The dead-letter table (MySqlDeadLetterSink's default). One row per (topic, partition, offset, code):
-- dead-lettering the same failure again updates the row, so replays stay idempotent.
-- Kept equal to deadLetterTableDdl() in src/mysql-dead-letter-sink.ts (a test checks).
CREATE TABLE IF NOT EXISTS `evroute_dead_letter` (
  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `topic` VARCHAR(249) NOT NULL,
  `partition` INT NOT NULL,
  `offset` VARCHAR(32) NOT NULL,
  `code` VARCHAR(96) NOT NULL,
  `message` MEDIUMTEXT NOT NULL,
  `stack` MEDIUMTEXT NULL,
  `record_key` MEDIUMTEXT NULL,
  `value` LONGBLOB NULL COMMENT 'original value, byte for byte',
  `value_kind` VARCHAR(8) NOT NULL COMMENT 'bytes | text | json | null: how to turn value back into what the source delivered',
  `headers` LONGTEXT NOT NULL COMMENT 'JSON object of the original headers',
  `attempts` INT NOT NULL,
  `event_id` VARCHAR(255) NULL,
  `route` VARCHAR(255) NULL,
  `plugin` VARCHAR(255) NULL,
  `plugin_version` VARCHAR(64) NULL,
  `config_version` BIGINT NULL,
  `dead_lettered_at` DATETIME(3) NOT NULL COMMENT 'first time this failure was dead-lettered (UTC)',
  `last_dead_lettered_at` DATETIME(3) NOT NULL COMMENT 'latest time (a replay of the same failure updates it)',
  UNIQUE KEY `uq_dead_letter_position` (`topic`, `partition`, `offset`, `code`),
  KEY `ix_dead_letter_time` (`dead_lettered_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='evroute dead-letter output';
