using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// `dotnet Taizhang.Web.dll backup FILE [--force]` — a consistent copy of the configured database
/// while the server keeps running: SQLite's online backup API (one read snapshot; WAL writers go
/// on), or pg_dump --format=custom (one repeatable-read snapshot).
/// `dotnet Taizhang.Web.dll restore FILE [--force]` — into the configured database, then the app's
/// migrations are applied (a newer binary takes an older backup) and the event chain is verified.
/// A database that holds cases is only overwritten with --force; stop the server first.
/// Attachment files travel beside the database file: `backup FILE` also writes the folder
/// FILE.attachments (the store's files, after the database snapshot, so every file the snapshot
/// names is there), and `restore FILE` copies that folder's files back into the store (each checked
/// against its name, its SHA-256) before the check, which reports any attachment still missing.
/// Exit codes: 0 done, 1 refused or failed, 2 bad arguments.
/// </summary>
public static class BackupCommand
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "backup" or "restore";

    /// <summary>
    /// The arguments without this command's operands, for configuration to read: the command-line
    /// provider would take an absolute path ("/backups/x.db") for a key, and "--force" for a key
    /// whose value is the next argument.
    /// </summary>
    public static string[] ConfigurationArguments(string[] args) => IsCommand(args)
        ? args.Where((a, i) => i != 1 && a != "--force").ToArray()
        : args;

    /// <summary>An expected failure: the message is for the operator and never holds a password.</summary>
    public sealed class BackupException(string message) : Exception(message);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct = default)
    {
        var file = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : null;
        if (file is null)
        {
            output.WriteLine("usage: backup FILE [--force] | restore FILE [--force]");
            return 2;
        }
        var force = args.Contains("--force");
        var options = services.GetRequiredService<DatabaseOptions>();
        var store = services.GetService<AttachmentStore>();
        try
        {
            if (args[0] == "backup")
            {
                // Registrations acknowledged from the intake journal and not yet in the ledger go into the backup too.
                if (services.GetService<Features.Cases.IntakeWriter>() is { } writer && await writer.DrainJournalAsync(ct) is { } entered)
                {
                    output.WriteLine(entered switch
                    {
                        < 0 => "intake journal: held by the running server, which enters it within moments; a registration it had not yet entered is not in this copy",
                        > 0 => $"intake journal: {entered} registrations entered into the ledger before the copy",
                        _ => "intake journal: nothing waiting",
                    });
                }
                await BackupAsync(options, file, force, output, ct, store);
                return 0;
            }
            await RestoreAsync(options, file, force, output, ct);
            if (store is not null)
            {
                await RestoreAttachmentsAsync(store, AttachmentsFolder(Path.GetFullPath(file)), output, ct);
            }
            await DatabaseSetup.MigrateAsync(services, ct);
            await using var scope = services.CreateAsyncScope();
            var check = await VerifyEventChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<Data.TaizhangDb>(), null, ct, attachments: store);
            output.WriteLine($"migrations applied; {check.CasesChecked} cases, {check.EventsChecked} events; event chain "
                + (check.FirstBroken is not { } b ? "intact" : $"BROKEN at case {b.CaseId} event {b.Sequence}: {b.Problem}")
                + $"; {check.AttachmentsChecked} attachments "
                + (check.FirstBrokenAttachment is not { } f ? "intact" : $"BROKEN ({check.BrokenAttachments}); first: case {f.CaseId}, attachment {f.AttachmentId}: {f.Problem}"));
            return check.Intact ? 0 : 1;
        }
        catch (BackupException e)
        {
            output.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    /// <summary>The attachment files' folder beside a backup file.</summary>
    public static string AttachmentsFolder(string backupFile) => backupFile + ".attachments";

    public static async Task BackupAsync(DatabaseOptions options, string file, bool force, TextWriter output, CancellationToken ct,
        AttachmentStore? attachments = null)
    {
        var target = Path.GetFullPath(file);
        if ((File.Exists(target) || (attachments is not null && Directory.Exists(AttachmentsFolder(target)))) && !force)
        {
            throw new BackupException($"{target} exists; choose another file or add --force to replace it.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Written beside the target and moved into place: a failed backup never leaves a half file under the real name.
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            if (options.IsPostgres)
            {
                var (env, database) = PostgresEnvironment(options);
                await RunToolAsync("pg_dump", ["--format=custom", "--no-password", "--file=" + partial, database], env, ct);
            }
            else
            {
                BackupSqlite(DatabaseSetup.SqliteConnectionString(options.ConnectionString), partial);
            }
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        output.WriteLine($"backup written to {target} ({new FileInfo(target).Length} bytes)");
        if (attachments is not null)
        {
            // After the database: every file a row of the snapshot names was in the store before its row was saved.
            await BackupAttachmentsAsync(attachments, AttachmentsFolder(target), output, ct);
        }
    }

    /// <summary>Copies every stored file into <paramref name="folder"/> (the store's layout), written beside it and moved into place.</summary>
    private static async Task BackupAttachmentsAsync(AttachmentStore store, string folder, TextWriter output, CancellationToken ct)
    {
        var partial = folder + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }
        Directory.CreateDirectory(partial);
        try
        {
            var copy = new AttachmentStore(partial);
            long files = 0, bytes = 0, altered = 0;
            foreach (var sha in store.All())
            {
                await using var source = store.OpenRead(sha);
                if (source is null)
                {
                    continue;
                }
                using var staged = await copy.StageAsync(source, long.MaxValue, ct);
                if (staged!.Sha256 != sha)
                {
                    // Kept under its name as found: `verify` names the attachment it belongs to.
                    altered++;
                }
                var path = copy.PathOf(sha);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Move(staged.Path, path);
                files++;
                bytes += staged.Size;
            }
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            var tmp = Path.Combine(partial, "tmp");
            if (Directory.Exists(tmp))
            {
                Directory.Delete(tmp, recursive: true);
            }
            Directory.Move(partial, folder);
            output.WriteLine($"attachments: {files} files ({bytes} bytes) copied to {folder}"
                + (altered > 0 ? $"; WARNING: {altered} of them no longer match their SHA-256 (run verify)" : ""));
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
    }

    /// <summary>Copies a backup's attachment files into the store; a file whose content does not match its name is left out.</summary>
    public static async Task RestoreAttachmentsAsync(AttachmentStore store, string folder, TextWriter output, CancellationToken ct)
    {
        if (!Directory.Exists(folder))
        {
            output.WriteLine($"no attachment folder beside the backup ({folder}): attachment files not restored");
            return;
        }
        long restored = 0, present = 0, refused = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (!AttachmentStore.IsHash(name))
            {
                continue;
            }
            if (store.Exists(name))
            {
                present++;
                continue;
            }
            await using var source = File.OpenRead(file);
            using var staged = await store.StageAsync(source, long.MaxValue, ct);
            if (staged!.Sha256 != name)
            {
                refused++;
                continue;
            }
            store.Commit(staged);
            restored++;
        }
        output.WriteLine($"attachments: {restored} files restored into {store.Root}, {present} already there"
            + (refused > 0 ? $"; {refused} left out: their content does not match their SHA-256" : ""));
    }

    public static async Task RestoreAsync(DatabaseOptions options, string file, bool force, TextWriter output, CancellationToken ct)
    {
        var source = Path.GetFullPath(file);
        if (!File.Exists(source))
        {
            throw new BackupException($"{source} does not exist.");
        }
        if (options.IsPostgres)
        {
            await RestorePostgresAsync(options, source, force, ct);
        }
        else
        {
            RestoreSqlite(DatabaseSetup.SqliteConnectionString(options.ConnectionString), source, force);
        }
        output.WriteLine($"restored {source}");
    }

    private static void BackupSqlite(string connectionString, string destination)
    {
        using var source = Open(connectionString);
        using (var copy = Open(new SqliteConnectionStringBuilder { DataSource = destination }.ToString()))
        {
            // One step (-1) copies every page under one read lock: a consistent snapshot, WAL content included.
            source.BackupDatabase(copy);
            // A single self-contained file, checked before it is called a backup.
            Execute(copy, "PRAGMA journal_mode=DELETE;");
            Check(copy, destination);
        }
        SqliteConnection.ClearAllPools();
    }

    private static void RestoreSqlite(string connectionString, string source, bool force)
    {
        using (var backup = Open(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly }.ToString()))
        {
            Check(backup, source);
            if (Scalar(backup, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'") == 0)
            {
                throw new BackupException($"{source} is not a Taizhang database.");
            }
            using var target = Open(connectionString);
            if (!force && HoldsCases(target))
            {
                throw new BackupException("the configured database already holds cases; add --force to overwrite it (stop the server first).");
            }
            backup.BackupDatabase(target);
        }
        SqliteConnection.ClearAllPools();
        // The intake journal belonged to the database that was replaced: kept aside, never applied to the restored one.
        var journal = Features.Cases.IntakeJournal.FolderOf(new SqliteConnectionStringBuilder(connectionString).DataSource);
        if (Directory.Exists(journal))
        {
            Directory.Move(journal, $"{journal}.replaced-{DateTime.UtcNow:yyyyMMddHHmmss}");
        }
    }

    private static bool HoldsCases(SqliteConnection c) =>
        Scalar(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Cases'") > 0
        && Scalar(c, "SELECT EXISTS (SELECT 1 FROM \"Cases\")") > 0;

    private static SqliteConnection Open(string connectionString)
    {
        // Unpooled: the files must be closed when the command is done with them.
        var c = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        c.Open();
        Execute(c, "PRAGMA busy_timeout=30000;");
        return c;
    }

    private static void Check(SqliteConnection c, string path)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA quick_check;";
        string? result;
        try
        {
            result = cmd.ExecuteScalar() as string;
        }
        catch (SqliteException e)
        {
            throw new BackupException($"{path} is not a readable SQLite database: {e.Message}");
        }
        if (result != "ok")
        {
            throw new BackupException($"{path} fails SQLite's quick_check: {result}");
        }
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task RestorePostgresAsync(DatabaseOptions options, string source, bool force, CancellationToken ct)
    {
        var (env, database) = PostgresEnvironment(options);
        // Refuse what pg_restore cannot read before touching the database.
        await RunToolAsync("pg_restore", ["--list", source], env, ct);
        var cs = PostgresConnectionString(options);
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync(ct);
            if (!force && await ScalarAsync(conn, "SELECT to_regclass('public.\"Cases\"') IS NOT NULL", ct)
                && await ScalarAsync(conn, "SELECT EXISTS (SELECT 1 FROM public.\"Cases\")", ct))
            {
                throw new BackupException("the configured database already holds cases; add --force to overwrite it (stop the server first).");
            }
            // Start from an empty schema, so that tables of a newer version than the backup do not
            // stand in the way of the migrations that follow. Needs the database's owner (PostgreSQL 15+: owner of public).
            await using var clear = new NpgsqlCommand("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;", conn);
            await clear.ExecuteNonQueryAsync(ct);
        }
        NpgsqlConnection.ClearAllPools();
        await RunToolAsync("pg_restore", ["--no-owner", "--single-transaction", "--exit-on-error", "--no-password", "--dbname=" + database, source], env, ct);
    }

    private static async Task<bool> ScalarAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    private static string PostgresConnectionString(DatabaseOptions options) =>
        options.ConnectionString ?? throw new BackupException("Database:ConnectionString is not set.");

    /// <summary>The Npgsql connection string as libpq environment variables: the password never appears on a command line.</summary>
    private static (Dictionary<string, string?> Env, string Database) PostgresEnvironment(DatabaseOptions options)
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString(options));
        var database = b.Database ?? b.Username ?? throw new BackupException("the connection string names no database.");
        var env = new Dictionary<string, string?>
        {
            ["PGHOST"] = b.Host,
            ["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGDATABASE"] = database,
            ["PGUSER"] = b.Username,
            ["PGPASSWORD"] = b.Password,
            ["PGPASSFILE"] = b.Passfile,
            ["PGAPPNAME"] = "taizhang-backup",
            ["PGCONNECT_TIMEOUT"] = b.Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGSSLMODE"] = b.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Prefer => "prefer",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => null,
            },
        };
        return (env, database);
    }

    private static async Task RunToolAsync(string tool, IReadOnlyList<string> arguments, Dictionary<string, string?> env, CancellationToken ct)
    {
        var start = new ProcessStartInfo(FindTool(tool))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (key, value) in env)
        {
            start.Environment.Remove(key);
            if (!string.IsNullOrEmpty(value))
            {
                start.Environment[key] = value;
            }
        }
        using var process = Process.Start(start) ?? throw new BackupException($"{tool} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new BackupException($"{tool} failed (exit code {process.ExitCode}): {(await stderr).Trim()}");
        }
    }

    /// <summary>
    /// The newest PostgreSQL client on the machine (a newer pg_dump reads older servers, not the
    /// reverse): Debian's /usr/lib/postgresql/N/bin first, then PATH.
    /// </summary>
    private static string FindTool(string tool)
    {
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin", tool))
                .FirstOrDefault(File.Exists);
            if (newest is not null)
            {
                return newest;
            }
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new BackupException($"{tool} was not found on PATH or under /usr/lib/postgresql/*/bin; install the PostgreSQL client tools.");
    }
}
