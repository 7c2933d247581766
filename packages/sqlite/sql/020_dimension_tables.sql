-- The wrongbook dimension tables (shared/spec/wrongbook.md section 3), for development and tests
-- (group "dimensions", not run by default).
CREATE TABLE IF NOT EXISTS wrong_question_record (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NULL,
    question_id TEXT NULL,
    pattern_id TEXT NULL,
    subject TEXT NULL,
    chapter_id TEXT NULL,
    chapter_name TEXT NULL,
    create_time INTEGER NULL,
    is_delete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS tower_pattern (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NULL,
    type INTEGER NULL,
    subject TEXT NULL,
    difficulty NUMERIC NULL
);
CREATE TABLE IF NOT EXISTS tower_teaching_type_pt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    teaching_type_id TEXT NOT NULL,
    pt_id TEXT NOT NULL,
    order_num INTEGER NOT NULL DEFAULT 0,
    is_delete INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_teaching_type_pt_pt_id ON tower_teaching_type_pt (pt_id);
CREATE TABLE IF NOT EXISTS tower_teaching_type (
    id TEXT NOT NULL PRIMARY KEY,
    chapter_id TEXT NULL,
    teaching_type_name TEXT NULL,
    is_delete INTEGER NOT NULL DEFAULT 0
);
