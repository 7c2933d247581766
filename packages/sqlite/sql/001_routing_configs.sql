-- The routing table with the columns of the original deployment guide's routing_configs (MySQL DDL in
-- @evroute/mysql's sql/001_routing_configs.sql), in SQLite's dialect. The guide's INSERT and UPDATE
-- statements run against it unchanged.
CREATE TABLE IF NOT EXISTS routing_configs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    domain VARCHAR(50) NOT NULL,
    event_type VARCHAR(100) NOT NULL,
    processor_class VARCHAR(200) NOT NULL,
    enabled TINYINT DEFAULT 1,
    priority INT DEFAULT 0,
    config_json TEXT,
    create_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    update_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_domain_type ON routing_configs (domain, event_type);
-- MySQL's ON UPDATE CURRENT_TIMESTAMP: refresh update_time unless the UPDATE set it itself.
CREATE TRIGGER IF NOT EXISTS routing_configs_update_time AFTER UPDATE ON routing_configs
FOR EACH ROW WHEN NEW.update_time IS OLD.update_time
BEGIN
    UPDATE routing_configs SET update_time = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
