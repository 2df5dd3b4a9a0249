using System.Text.Json;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// The file sink: each message appended as one JSON line to <c>Notifications:FilePath</c>. A delivery
/// channel like SMS (it holds the recipient's address and the text, so the file is personal data and
/// kept like the database), never the app log. The default for SMS and WeChat while no provider is
/// configured (development, the demo), and the record of a unit that has no phone to send to.
/// </summary>
public sealed class FileSink(NotificationOptions options, Infrastructure.DatabaseOptions database, TimeProvider clock) : INotificationSender
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public string Path { get; } = Resolve(options.FilePath, database);

    /// <summary>The configured file; by default notifications.jsonl beside the SQLite file (as attachments), else data/ under the working directory.</summary>
    public static string Resolve(string? configured, Infrastructure.DatabaseOptions database)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return System.IO.Path.GetFullPath(configured);
        }
        if (!database.IsPostgres)
        {
            var sqlite = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString ?? $"Data Source={Infrastructure.DatabaseSetup.DefaultSqlitePath}");
            if (!string.IsNullOrEmpty(sqlite.DataSource) && sqlite.DataSource != ":memory:"
                && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(sqlite.DataSource)) is { Length: > 0 } beside)
            {
                return System.IO.Path.Combine(beside, DefaultFile);
            }
        }
        return System.IO.Path.GetFullPath(System.IO.Path.Combine("data", DefaultFile));
    }

    public const string DefaultFile = "notifications.jsonl";

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var line = JsonSerializer.Serialize(new
        {
            at = clock.GetUtcNow().UtcDateTime,
            id = message.Id,
            caseId = message.CaseId,
            kind = message.Kind.ToString(),
            channel = message.Channel.ToString(),
            to = message.Address,
            template = message.TemplateKey,
            text = message.Text,
        }, NotificationOutbox.Json);
        await Gate.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await File.AppendAllTextAsync(Path, line + "\n", ct);
        }
        catch (IOException)
        {
            return new SendResult(SendOutcome.Retry, "file: cannot write");
        }
        catch (UnauthorizedAccessException)
        {
            return new SendResult(SendOutcome.Retry, "file: not allowed to write");
        }
        finally
        {
            Gate.Release();
        }
        return SendResult.Delivered;
    }
}
