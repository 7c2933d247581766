-- The wrongbook wide table (shared/spec/wrongbook.md section 4) in SQLite's dialect. Times are
-- ISO-8601 UTC text (SqliteSink writes Dates that way), which sorts like time.
CREATE TABLE IF NOT EXISTS dwd_wrong_record_wide_delta (
    id INTEGER NOT NULL PRIMARY KEY,
    wrong_id TEXT NOT NULL UNIQUE,
    user_id TEXT NULL,
    subject TEXT NULL,
    subject_name TEXT NULL,
    question_id TEXT NULL,
    question TEXT NULL,
    pattern_id TEXT NULL,
    pattern_name TEXT NULL,
    teach_type_id TEXT NULL,
    teach_type_name TEXT NULL,
    chapter_id TEXT NULL,
    collect_time TEXT NULL,
    fix_id TEXT NULL,
    fix_time TEXT NULL,
    fix_result INTEGER NULL,
    fix_result_desc TEXT NULL,
    is_deleted INTEGER NOT NULL DEFAULT 0,
    delete_time TEXT NULL,
    delete_reason TEXT NULL,
    event_id TEXT NULL,
    event_type TEXT NULL,
    process_time TEXT NULL
);
CREATE INDEX IF NOT EXISTS idx_wide_user_id ON dwd_wrong_record_wide_delta (user_id);
