namespace Taizhang.Web.Data;

/// <summary>
/// On SQLite the text-search table (<see cref="CaseText"/>) is kept by two triggers on "Cases"
/// (created by the CaseSearchTexts migration). EF Core rebuilds a SQLite table for some schema
/// changes (dropping a column, changing a key), and a rebuild drops the table's triggers: these
/// statements put them back, and are run after every migration, so no later migration can leave
/// text search silently blind to new cases.
/// </summary>
public static class SqliteCaseTexts
{
    public const string InsertTrigger = """
        CREATE TRIGGER IF NOT EXISTS "Cases_CaseTexts_Insert" AFTER INSERT ON "Cases" BEGIN
            INSERT INTO "CaseTexts" ("TownId", "CaseId", "Text") VALUES (new."TownId", new."Id", new."Title" || char(10) || new."Description");
        END;
        """;

    public const string DeleteTrigger = """
        CREATE TRIGGER IF NOT EXISTS "Cases_CaseTexts_Delete" AFTER DELETE ON "Cases" BEGIN
            DELETE FROM "CaseTexts" WHERE "TownId" = old."TownId" AND "CaseId" = old."Id";
        END;
        """;
}
