using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Taizhang.Web.Features.Imports;

/// <summary>
/// An uploaded sheet waiting while the person confirms its column mapping: a file in
/// Imports:PendingDirectory named by a random token and its uploader, so that nobody else can name it.
/// Removed when the import runs, and any left over after a day on the next upload. It holds residents'
/// data as the sheet did; nothing else reads the folder.
/// </summary>
public sealed partial class PendingUploads(ImportOptions options, TimeProvider clock)
{
    private string Directory => options.PendingDirectory is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "taizhang-imports");

    public async Task<string> SaveAsync(string actorId, byte[] content, CancellationToken ct)
    {
        var dir = System.IO.Directory.CreateDirectory(Directory);
        foreach (var old in dir.EnumerateFiles("*.upload").Where(f => f.LastWriteTimeUtc < clock.GetUtcNow().UtcDateTime.AddDays(-1)))
        {
            try
            {
                old.Delete();
            }
            catch (IOException)
            {
            }
        }
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await File.WriteAllBytesAsync(PathOf(actorId, token), content, ct);
        return token;
    }

    /// <summary>The waiting upload, or null when the token is not the caller's or has gone.</summary>
    public async Task<byte[]?> LoadAsync(string actorId, string? token, CancellationToken ct)
    {
        if (token is null || !TokenPattern().IsMatch(token) || !File.Exists(PathOf(actorId, token)))
        {
            return null;
        }
        return await File.ReadAllBytesAsync(PathOf(actorId, token), ct);
    }

    public void Delete(string actorId, string? token)
    {
        if (token is not null && TokenPattern().IsMatch(token))
        {
            File.Delete(PathOf(actorId, token));
        }
    }

    private string PathOf(string actorId, string token) =>
        Path.Combine(Directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(actorId)))[..16] + "-" + token + ".upload");

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex TokenPattern();
}
