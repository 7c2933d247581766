-- The routing table and its initial rows as the original deployment guide creates them
-- (shared/seed/datastream-deployment-guide.zh.md, "动态路由配置表" and "插入初始配置"),
-- made re-runnable (IF NOT EXISTS; rows inserted only into an empty table).
CREATE TABLE IF NOT EXISTS routing_configs (
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

INSERT INTO routing_configs (domain, event_type, processor_class, enabled, priority)
SELECT * FROM (
    SELECT 'wrongbook' AS d, 'wrongbook_add' AS t, 'com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor' AS c, 1 AS e, 0 AS p
    UNION ALL
    SELECT 'wrongbook', 'wrongbook_fix', 'com.flink.realtime.topics.wrongbook.processor.WrongbookFixProcessor', 1, 0
) AS seed
WHERE NOT EXISTS (SELECT 1 FROM routing_configs);
