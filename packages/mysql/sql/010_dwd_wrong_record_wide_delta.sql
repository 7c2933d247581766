-- The wrongbook wide table (shared/spec/wrongbook.md section 4): one row per wrong question.
-- Rows are merged by the upsert SQL MySqlSink renders from the wrongbook outputs' merge policies
-- (docs/reference/mysql.md "Merge policies"), so late, duplicate and concurrent events converge.
CREATE TABLE IF NOT EXISTS dwd_wrong_record_wide_delta (
    id BIGINT NOT NULL COMMENT 'stable 64-bit hash of wrong_id, computed by the wrongbook plugin',
    wrong_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NULL,
    subject VARCHAR(32) NULL,
    subject_name VARCHAR(64) NULL,
    question_id VARCHAR(64) NULL,
    question TEXT NULL,
    pattern_id VARCHAR(64) NULL,
    pattern_name VARCHAR(128) NULL,
    teach_type_id VARCHAR(64) NULL,
    teach_type_name VARCHAR(128) NULL,
    chapter_id VARCHAR(64) NULL,
    collect_time DATETIME(3) NULL COMMENT 'set once: add create_time, else fix create_time, else wrong_question_record',
    fix_id VARCHAR(64) NULL,
    fix_time DATETIME(3) NULL COMMENT 'newest fix wins',
    fix_result TINYINT NULL COMMENT '0 未订正, 1 订正; NULL until a fix arrives',
    fix_result_desc VARCHAR(64) NULL,
    is_deleted TINYINT NOT NULL DEFAULT 0 COMMENT 'sticky: cleared only by an add/fix newer than delete_time',
    delete_time DATETIME(3) NULL,
    delete_reason VARCHAR(255) NULL,
    event_id VARCHAR(128) NULL COMMENT 'envelope of the last event written',
    event_type VARCHAR(64) NULL,
    process_time DATETIME(3) NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uk_wrong_id (wrong_id),
    KEY idx_user_id (user_id),
    KEY idx_fix_time (fix_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='错题本宽表 (wrongbook wide table)';
