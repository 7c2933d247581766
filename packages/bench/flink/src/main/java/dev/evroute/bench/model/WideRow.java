package dev.evroute.bench.model;

/**
 * One row for {@code dwd_wrong_record_wide_delta} (shared/spec/wrongbook.md §4), as a processor emits
 * it. {@link #kind} selects the upsert statement (the add or the fix output's merge rules). Times are
 * epoch ms; {@code null} means "not written by this event" and the merge rules decide.
 */
public class WideRow {
    public static final String ADD = "add";
    public static final String FIX = "fix";

    public String kind;
    public long id;
    public String wrongId;
    public String userId;
    public String subject;
    public String subjectName;
    public String questionId;
    public String question;
    public String patternId;
    public String patternName;
    public String teachTypeId;
    public String teachTypeName;
    public String chapterId;
    public Long collectTime;
    public String fixId;
    public Long fixTime;
    public Integer fixResult;
    public String fixResultDesc;
    public int isDeleted;
    public String eventId;
    public String eventType;
    public long processTime;

    public WideRow() {}
}
