-- The routing table exactly as the original deployment guide creates it
-- (shared/seed/datastream-deployment-guide.zh.md, "动态路由配置表"). Kept verbatim so the guide's own
-- SQL keeps working; migrate() treats "table already exists" (errno 1050) as already applied.
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
