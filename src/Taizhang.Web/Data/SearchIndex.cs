using System.Text;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data;

/// <summary>
/// The full-text index of cases on each provider, fed by <see cref="CaseGram"/> rows (the tokens of
/// <see cref="SearchGrams"/>): SQLite FTS5 ("CaseSearch", contentless: the index only, rowid = case id,
/// the unicode61 tokenizer over the pre-split tokens) and PostgreSQL a tsvector ("CaseGrams"."Vector",
/// GIN). Both hold positions, so a longer word is a phrase of its pairs. The statements here are run by
/// the migration CaseFullTextIndex and, on SQLite, again after every migration (a table rebuild drops triggers).
/// </summary>
public static class SearchIndex
{
    public const string SqliteTable = """
        CREATE VIRTUAL TABLE IF NOT EXISTS "CaseSearch" USING fts5("Grams", content='', contentless_delete=1, tokenize='unicode61');
        """;

    /// <summary>The row's tokens go into the index, then the row keeps no text (the index is the only copy).</summary>
    public const string SqliteInsertTrigger = """
        CREATE TRIGGER IF NOT EXISTS "CaseGrams_Index" AFTER INSERT ON "CaseGrams" BEGIN
            INSERT INTO "CaseSearch" (rowid, "Grams") VALUES (new."CaseId", new."Grams");
            UPDATE "CaseGrams" SET "Grams" = '' WHERE "CaseId" = new."CaseId";
        END;
        """;

    public const string SqliteDeleteTrigger = """
        CREATE TRIGGER IF NOT EXISTS "CaseGrams_Unindex" AFTER DELETE ON "CaseGrams" BEGIN
            DELETE FROM "CaseSearch" WHERE rowid = old."CaseId";
        END;
        """;

    /// <summary>Past this many towns the scope is left to the ledger's own filter: OR-ing many towns' tokens reads more than it saves.</summary>
    private const int MaxTownTokens = 4;

    /// <summary>The ids of the cases whose text has every term, in the given towns (null: any); composable into a query.</summary>
    public static IQueryable<long> Matching(TaizhangDb db, IReadOnlyList<IReadOnlyList<string>> terms, long[]? towns)
    {
        if (db.Database.IsNpgsql())
        {
            var query = TsQuery(terms, towns);
            return db.Database.SqlQuery<long>($"""SELECT "CaseId" AS "Value" FROM "CaseGrams" WHERE "Vector" @@ {query}::tsquery""");
        }
        var match = FtsMatch(terms, towns);
        return db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "CaseSearch" WHERE "CaseSearch" MATCH {match}""");
    }

    /// <summary>
    /// One page of the matching ids, highest (newest registered) first, straight from the index: no case row
    /// is read. FTS5 walks its doclists backwards for ORDER BY rowid DESC; PostgreSQL either walks the key
    /// backwards testing each row's vector (a common word) or sorts the GIN's matches (a rare one).
    /// </summary>
    public static Task<List<long>> PageAsync(TaizhangDb db, IReadOnlyList<IReadOnlyList<string>> terms, long[]? towns, int skip, int take, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            var query = TsQuery(terms, towns);
            return db.Database.SqlQuery<long>($"""
                SELECT "CaseId" AS "Value" FROM "CaseGrams" WHERE "Vector" @@ {query}::tsquery ORDER BY "CaseId" DESC LIMIT {take} OFFSET {skip}
                """).ToListAsync(ct);
        }
        var match = FtsMatch(terms, towns);
        return db.Database.SqlQuery<long>($"""
            SELECT rowid AS "Value" FROM "CaseSearch" WHERE "CaseSearch" MATCH {match} ORDER BY rowid DESC LIMIT {take} OFFSET {skip}
            """).ToListAsync(ct);
    }

    /// <summary>
    /// One page of the matching ids (highest first) and how many match, up to <paramref name="limit"/> (more: limit + 1).
    /// PostgreSQL picks the page's plan from the count, which its planner cannot know: GIN's estimate of a word's matches
    /// is often far off (a word in no case at all was estimated at 5,000 and walked every row of the key backwards:
    /// 1.1 s at 1,000,000 cases; a four-character phrase at 600, sorted 40,000 matches: 100 ms). So: first the matches
    /// up to the limit, counted, with the page from the same rows when they are all of them (one GIN read); past the
    /// limit the page walks the key backwards testing each row (the words are common, so the page is near: at the
    /// default limit of 2,000 matches in 1,000,000 cases at most ~10,000 rows for the first page, read in heap order).
    /// </summary>
    public static async Task<(List<long> Ids, int Total)> PageAndCountAsync(
        TaizhangDb db, IReadOnlyList<IReadOnlyList<string>> terms, long[]? towns, int skip, int take, long limit, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            // FTS5 walks its doclists backwards for the page and counts from them: no row is read either way.
            var total = await CountAsync(db, terms, towns, limit, ct);
            return (total == 0 ? [] : await PageAsync(db, terms, towns, skip, take, ct), total);
        }
        var query = TsQuery(terms, towns);
        if (towns is null && skip + take <= limit + 1)
        {
            // Every town: a word in a large share of the cases (村民反映: 村民 is in 46 % of them, 反映 in 61 %) costs GIN
            // its whole posting lists to intersect (80 ms) before the first match, where the newest rows hold the
            // limit's worth within a few thousand. The newest rows tested first (2 ms) say which: past ~8 % (where a
            // walk for the limit's matches costs what GIN's lists do) the walk finds the count and the page together.
            var sample = await db.Database.SqlQuery<SampleRow>($"""
                SELECT count(*) AS "Rows", count(*) FILTER (WHERE ts_match_vq(w."Vector", {query}::tsquery)) AS "Matches"
                FROM (SELECT "Vector" FROM "CaseGrams" ORDER BY "CaseId" DESC LIMIT {WalkSample}) AS w
                """).SingleAsync(ct);
            // Rows enough for the limit at twice the sample's density: a word rarer further back falls through to GIN.
            var budget = sample.Matches == 0 ? long.MaxValue : (limit + 1) * 2 * sample.Rows / sample.Matches;
            if (sample.Matches * 100 >= sample.Rows * WalkFromPercent && budget <= MaxWalkRows)
            {
                var walked = await db.Database.SqlQuery<long>($"""
                    SELECT w."CaseId" AS "Value" FROM (SELECT "CaseId", "Vector" FROM "CaseGrams" ORDER BY "CaseId" DESC LIMIT {budget}) AS w
                    WHERE ts_match_vq(w."Vector", {query}::tsquery) ORDER BY w."CaseId" DESC LIMIT {limit + 1}
                    """).ToListAsync(ct);
                if (walked.Count > limit)
                {
                    return ([.. walked.Skip(skip).Take(take)], walked.Count);
                }
            }
        }
        // "CaseId" + 0: no index gives this order, so the planner reads the matches from GIN and sorts them (top-N).
        var rows = await db.Database.SqlQuery<PageRow>($"""
            SELECT "CaseId", count(*) OVER () AS "Total"
            FROM (SELECT "CaseId" FROM "CaseGrams" WHERE "Vector" @@ {query}::tsquery LIMIT {limit + 1}) AS m
            ORDER BY "CaseId" + 0 DESC LIMIT {take} OFFSET {skip}
            """).ToListAsync(ct);
        var count = rows.Count > 0 ? (int)rows[0].Total : skip == 0 ? 0 : await CountAsync(db, terms, towns, limit, ct);
        if (count <= limit)
        {
            return (rows.Select(r => r.CaseId).ToList(), count);
        }
        // ts_match_vq is @@ as a function, which no index serves: the planner walks the key backwards, as wanted here.
        var ids = await db.Database.SqlQuery<long>($"""
            SELECT "CaseId" AS "Value" FROM "CaseGrams" WHERE ts_match_vq("Vector", {query}::tsquery) ORDER BY "CaseId" DESC LIMIT {take} OFFSET {skip}
            """).ToListAsync(ct);
        return (ids, count);
    }

    /// <summary>The newest rows a county-wide search tests first, and the share of them matching past which it walks the key.</summary>
    private const int WalkSample = 2_000, WalkFromPercent = 8;

    /// <summary>The most rows that walk reads (an exact count, <c>Ledger:SearchCountLimit</c> = 0, never walks the table).</summary>
    private const long MaxWalkRows = 100_000;

    private sealed class SampleRow
    {
        public long Rows { get; init; }
        public long Matches { get; init; }
    }

    private sealed class PageRow
    {
        public long CaseId { get; init; }
        public long Total { get; init; }
    }

    /// <summary>How many cases match, counted in the index alone, up to <paramref name="limit"/> (more: limit + 1).</summary>
    public static async Task<int> CountAsync(TaizhangDb db, IReadOnlyList<IReadOnlyList<string>> terms, long[]? towns, long limit, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            var query = TsQuery(terms, towns);
            return (int)await db.Database.SqlQuery<long>($"""
                SELECT count(*) AS "Value" FROM (SELECT 1 FROM "CaseGrams" WHERE "Vector" @@ {query}::tsquery LIMIT {limit + 1}) AS m
                """).SingleAsync(ct);
        }
        var match = FtsMatch(terms, towns);
        return (int)await db.Database.SqlQuery<long>($"""
            SELECT count(*) AS "Value" FROM (SELECT 1 FROM "CaseSearch" WHERE "CaseSearch" MATCH {match} LIMIT {limit + 1})
            """).SingleAsync(ct);
    }

    /// <summary>Whether a scope of this many towns goes into the index's query as town tokens.</summary>
    public static bool TownsInIndex(int towns) => towns is > 0 and <= MaxTownTokens;

    /// <summary>The ids of the cases holding any of the tokens (candidates for similar-case suggestions), in the given towns.</summary>
    public static IQueryable<long> MatchingAny(TaizhangDb db, IReadOnlyList<string> tokens, long[] towns)
    {
        if (db.Database.IsNpgsql())
        {
            var query = "(" + string.Join(" | ", towns.Select(t => "'" + SearchGrams.TownToken(t) + "'")) + ") & ("
                + string.Join(" | ", tokens.Select(t => "'" + t.Replace("'", "''", StringComparison.Ordinal) + "'")) + ")";
            return db.Database.SqlQuery<long>($"""SELECT "CaseId" AS "Value" FROM "CaseGrams" WHERE "Vector" @@ {query}::tsquery""");
        }
        var match = "(" + string.Join(" OR ", towns.Select(t => "\"" + SearchGrams.TownToken(t) + "\"")) + ") AND ("
            + string.Join(" OR ", tokens.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")) + ")";
        return db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "CaseSearch" WHERE "CaseSearch" MATCH {match}""");
    }

    /// <summary>An FTS5 query: "a b" is a phrase, AND / OR between; tokens hold no quote (letters, digits, private-use marks).</summary>
    public static string FtsMatch(IReadOnlyList<IReadOnlyList<string>> terms, long[]? towns)
    {
        var sb = new StringBuilder();
        if (towns is { Length: > 0 and <= MaxTownTokens })
        {
            sb.Append('(').AppendJoin(" OR ", towns.Select(t => Fts([SearchGrams.TownToken(t)]))).Append(") AND ");
        }
        sb.AppendJoin(" AND ", terms.Select(Fts));
        return sb.ToString();

        static string Fts(IReadOnlyList<string> phrase) => "\"" + string.Join(' ', phrase).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A tsquery: a phrase is its lexemes joined by &lt;-&gt; (adjacent), &amp; and | between.</summary>
    public static string TsQuery(IReadOnlyList<IReadOnlyList<string>> terms, long[]? towns)
    {
        var sb = new StringBuilder();
        if (towns is { Length: > 0 and <= MaxTownTokens })
        {
            sb.Append('(').AppendJoin(" | ", towns.Select(t => Lexeme(SearchGrams.TownToken(t)))).Append(") & ");
        }
        sb.AppendJoin(" & ", terms.Select(t => t.Count == 1 ? Lexeme(t[0]) : "(" + string.Join(" <-> ", t.Select(Lexeme)) + ")"));
        return sb.ToString();

        static string Lexeme(string token) => "'" + token.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
