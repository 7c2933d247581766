-- The routing table of the wrongbook pipeline (production mode), for the database that
-- routing.config.database.url names (config_db in the original deployment).
-- The first two statements are the original deployment guide's own SQL, verbatim
-- (shared/seed/datastream-deployment-guide.zh.md, "数据库初始化"). `node dist/main.js setup` runs this file
-- on a database that has no routing rows yet; @evroute/mysql's migrate() then adds evroute's optional
-- columns (outputs_json, fanout) and leaves the seed's table as it is.
CREATE TABLE routing_configs (
    id BIGINT PRIMARY KEY AUTO_INCREMENT,
    domain VARCHAR(50) NOT NULL COMMENT '业务域',
    event_type VARCHAR(100) NOT NULL COMMENT '事件类型',
    processor_class VARCHAR(200) NOT NULL COMMENT '处理器类名',
    enabled TINYINT DEFAULT 1 COMMENT '是否启用',
    priority INT DEFAULT 0 COMMENT '优先级',
    config_json TEXT COMMENT '处理器配置JSON',
    create_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    update_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    INDEX idx_domain_type (domain, event_type)
) COMMENT '动态路由配置表';

INSERT INTO routing_configs (domain, event_type, processor_class, enabled, priority) VALUES
('wrongbook', 'wrongbook_add', 'com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor', 1, 0),
('wrongbook', 'wrongbook_fix', 'com.flink.realtime.topics.wrongbook.processor.WrongbookFixProcessor', 1, 0);

-- The delete route (shared/spec/wrongbook.md section 6): shipped disabled, as in the guide's operations
-- section. Enable it live, without a restart:
--   UPDATE routing_configs SET enabled = 1 WHERE domain = 'wrongbook' AND event_type = 'wrongbook_delete';
INSERT INTO routing_configs (domain, event_type, processor_class, enabled, priority) VALUES
('wrongbook', 'wrongbook_delete', 'com.flink.realtime.topics.wrongbook.processor.WrongbookDeleteProcessor', 0, 0);
