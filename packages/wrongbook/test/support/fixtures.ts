// Small hand-made dimension tables and envelopes for the unit tests.
import type { EventEnvelope } from '@evroute/core';
import type { DimensionData } from '@evroute/wrongbook';

/** 2025-01-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 0, 1);
/** A "now" well after T0. */
export const NOW = T0 + 30 * 86_400_000;

/**
 * - wrong_1: MATH, pattern pt_math (links: tt 12 order 2, tt 11 order 1, tt 13 order 1 but deleted link)
 * - wrong_2: CHINESE chapter yuwen_ch02, pattern pt_cn (tt 21 ch01 order 1, tt 22 ch02 order 2, tt 23 ch02 deleted type)
 * - wrong_3: ENGLISH, no chapter, pattern pt_en
 * - wrong_4: pattern not in tower_pattern
 */
export const DIMENSIONS: DimensionData = {
  wrong_question_record: [
    { id: 'wrong_1', user_id: 'user_1', question_id: 'q_1', pattern_id: 'pt_math', subject: 'MATH', chapter_id: 'math_ch01', chapter_name: '第1章', create_time: T0, is_delete: 0 },
    { id: 'wrong_2', user_id: 'user_2', question_id: 'q_2', pattern_id: 'pt_cn', subject: 'chinese', chapter_id: 'yuwen_ch02', chapter_name: '第2章', create_time: T0 + 1000, is_delete: 0 },
    { id: 'wrong_3', user_id: 'user_3', question_id: 'q_3', pattern_id: 'pt_en', subject: 'ENGLISH', chapter_id: null, chapter_name: null, create_time: T0 + 2000, is_delete: 0 },
    { id: 'wrong_4', user_id: 'user_4', question_id: 'q_4', pattern_id: 'pt_gone', subject: 'PHYSICS', chapter_id: 'wuli_ch01', chapter_name: '第1章', create_time: T0 + 3000, is_delete: 0 },
  ],
  tower_pattern: [
    { id: 'pt_math', name: '一元一次方程（基础）', type: 1, subject: 'MATH', difficulty: 0.5 },
    { id: 'pt_cn', name: '古诗词鉴赏（易错）', type: 2, subject: 'CHINESE', difficulty: 0.625 },
    { id: 'pt_en', name: '定语从句（综合）', type: 2, subject: 'ENGLISH', difficulty: 0.7 },
  ],
  tower_teaching_type_pt: [
    { id: 1, teaching_type_id: '12', pt_id: 'pt_math', order_num: 2, is_delete: 0 },
    { id: 2, teaching_type_id: '11', pt_id: 'pt_math', order_num: 1, is_delete: 0 },
    { id: 3, teaching_type_id: '13', pt_id: 'pt_math', order_num: 0, is_delete: 1 },
    { id: 4, teaching_type_id: '21', pt_id: 'pt_cn', order_num: 1, is_delete: 0 },
    { id: 5, teaching_type_id: '22', pt_id: 'pt_cn', order_num: 2, is_delete: 0 },
    { id: 6, teaching_type_id: '23', pt_id: 'pt_cn', order_num: 0, is_delete: 0 },
    { id: 7, teaching_type_id: '31', pt_id: 'pt_en', order_num: 1, is_delete: 0 },
  ],
  tower_teaching_type: [
    { id: '11', chapter_id: 'math_ch01', teaching_type_name: '基础概念讲解', is_delete: 0 },
    { id: '12', chapter_id: 'math_ch01', teaching_type_name: '例题讲解', is_delete: 0 },
    { id: '13', chapter_id: 'math_ch01', teaching_type_name: '已删除的讲解', is_delete: 0 },
    { id: '21', chapter_id: 'yuwen_ch01', teaching_type_name: '诗词背景', is_delete: 0 },
    { id: '22', chapter_id: 'yuwen_ch02', teaching_type_name: '意象分析', is_delete: 0 },
    { id: '23', chapter_id: 'yuwen_ch02', teaching_type_name: '已删除的类型', is_delete: 1 },
    { id: '31', chapter_id: 'yingyu_ch05', teaching_type_name: '从句结构', is_delete: 0 },
  ],
};

let n = 0;

/** A decoded envelope of a wrongbook event. */
export function event(type: string, payload: Record<string, unknown>, eventId = `e${++n}`, timestamp = T0): EventEnvelope {
  return { domain: 'wrongbook', type, eventId, timestamp, payload };
}
