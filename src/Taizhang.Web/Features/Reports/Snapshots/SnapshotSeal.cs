using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Reports.Snapshots;

/// <summary>
/// The seal of a frozen month: HMAC-SHA256 over a canonical encoding of what the snapshot says
/// (town, month, figures, events hash, counts, when and by whom), keyed by <c>Reports:SnapshotKey</c>
/// (base64, 32 bytes or more) when configured, otherwise by a key generated at first use and kept
/// in the settings table (so it is in every backup; it must be kept like the data protection keys:
/// without it no snapshot verifies).
/// </summary>
public sealed class SnapshotSeal(IServiceScopeFactory scopes, IConfiguration configuration)
{
    public const string KeySetting = "report-snapshot-key";

    public const string ConfigurationKey = "Reports:SnapshotKey";

    private readonly Infrastructure.StoredKey _key = new(scopes, configuration, ConfigurationKey, KeySetting);

    public async Task<string> SignAsync(ReportSnapshot s, CancellationToken ct) => Sign(await KeyAsync(ct), s);

    public async Task<bool> VerifyAsync(ReportSnapshot s, CancellationToken ct)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(await KeyAsync(ct), s));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s.Signature ?? ""));
    }

    /// <summary>
    /// A version tag, then every field length-prefixed (UTF-8 text, invariant numbers, the instant as
    /// UTC ticks): no two different snapshots encode alike.
    /// </summary>
    public static string Sign(byte[] key, ReportSnapshot s)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        var length = new byte[4];
        void Field(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            mac.AppendData(length);
            mac.AppendData(bytes);
        }
        string N(long n) => n.ToString(CultureInfo.InvariantCulture);
        Field("taizhang-report-snapshot-v1");
        Field(N(s.TownId));
        Field(s.Month);
        Field(s.FiguresJson);
        Field(s.EventsHash);
        Field(N(s.EventCount));
        Field(N(s.CaseCount));
        Field(N(DateTime.SpecifyKind(s.CreatedAt, DateTimeKind.Utc).Ticks));
        Field(s.CreatedBy);
        return Convert.ToHexStringLower(mac.GetHashAndReset());
    }

    public ValueTask<byte[]> KeyAsync(CancellationToken ct) => _key.GetAsync(ct);
}
