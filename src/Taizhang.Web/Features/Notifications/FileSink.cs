using System.Text.Json;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// The file sink: each message appended as one JSON line to <c>Notifications:FilePath</c>. A delivery
/// channel like SMS (it holds the recipient's address and the text, so the file is personal data and
/// kept like the database), never the app log. The default for SMS and WeChat while no provider is
/// configured (development, the demo), and the record of a unit that has no phone to send to.
/// </summary>
public sealed class FileSink(NotificationOptions options, IHostEnvironment environment, TimeProvider clock) : INotificationSender
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public string Path => System.IO.Path.GetFullPath(options.FilePath, environment.ContentRootPath);

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
