-- The wrongbook dimension tables (shared/spec/wrongbook.md section 3). In production they already exist
-- and are read-only for the pipeline; this migration (group "dimensions", not run by default) creates
-- them for development and tests. IF NOT EXISTS leaves existing tables alone.
CREATE TABLE IF NOT EXISTS wrong_question_record (
    id VARCHAR(64) NOT NULL COMMENT '= wrong_id',
    user_id VARCHAR(64) NULL,
    question_id VARCHAR(64) NULL,
    pattern_id VARCHAR(64) NULL,
    subject VARCHAR(32) NULL,
    chapter_id VARCHAR(64) NULL,
    chapter_name VARCHAR(128) NULL,
    create_time BIGINT NULL COMMENT 'epoch ms',
    is_delete TINYINT NOT NULL DEFAULT 0,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS tower_pattern (
    id VARCHAR(64) NOT NULL COMMENT '= pattern_id',
    name VARCHAR(128) NULL,
    type INT NULL,
    subject VARCHAR(32) NULL,
    difficulty DECIMAL(5,3) NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS tower_teaching_type_pt (
    id BIGINT NOT NULL AUTO_INCREMENT,
    teaching_type_id VARCHAR(64) NOT NULL,
    pt_id VARCHAR(64) NOT NULL COMMENT '= pattern_id',
    order_num INT NOT NULL DEFAULT 0,
    is_delete TINYINT NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_pt_id (pt_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS tower_teaching_type (
    id VARCHAR(64) NOT NULL,
    chapter_id VARCHAR(64) NULL,
    teaching_type_name VARCHAR(128) NULL,
    is_delete TINYINT NOT NULL DEFAULT 0,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
