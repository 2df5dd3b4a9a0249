namespace Taizhang.Web.Data;

/// <summary>
/// A photo or document on a meeting (the sign-in sheet, a photo of the meeting, the signed minutes):
/// what is known about the file; the file itself is in the attachment store, named by its SHA-256,
/// as a case's. Never updated or deleted: part of the meeting's record.
/// </summary>
public sealed class MeetingAttachment
{
    private MeetingAttachment()
    {
        FileName = ContentType = Sha256 = AddedById = AddedByName = string.Empty;
    }

    public MeetingAttachment(long meetingId, long townId, string fileName, string contentType, long size, string sha256,
        string? thumbnailSha256, int? width, int? height, Domain.Cases.Actor addedBy, DateTime addedAt)
    {
        MeetingId = meetingId;
        TownId = townId;
        FileName = fileName;
        ContentType = contentType;
        Size = size;
        Sha256 = sha256;
        ThumbnailSha256 = thumbnailSha256;
        Width = width;
        Height = height;
        AddedById = addedBy.Id;
        AddedByName = addedBy.Name;
        AddedAt = addedAt;
    }

    public long Id { get; private set; }
    public long MeetingId { get; private set; }
    public long TownId { get; private set; }
    public string FileName { get; private set; }
    public string ContentType { get; private set; }
    public long Size { get; private set; }
    public string Sha256 { get; private set; }
    public string? ThumbnailSha256 { get; private set; }
    public int? Width { get; private set; }
    public int? Height { get; private set; }
    public string AddedById { get; private set; }
    public string AddedByName { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime AddedAt { get; private set; }
}
