using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data;

/// <summary>
/// A photo or document on a case: what is known about the file. The file itself is outside the
/// database, in the attachment store (<see cref="Infrastructure.AttachmentStore"/>), named by its
/// SHA-256; the case's AddAttachment event (<see cref="EventSequence"/>) seals the same name and hash.
/// Never updated or deleted: attachments are part of the record, like the events.
/// </summary>
public sealed class CaseAttachment
{
    public const int ContentTypeMaxLength = 100;

    private CaseAttachment()
    {
        FileName = ContentType = Sha256 = AddedById = AddedByName = string.Empty;
    }

    public CaseAttachment(long caseId, long townId, int eventSequence, AttachmentKind kind, string fileName, string contentType, long size,
        string sha256, string? thumbnailSha256, int? width, int? height, Actor addedBy, DateTime addedAt)
    {
        CaseId = caseId;
        TownId = townId;
        EventSequence = eventSequence;
        Kind = kind;
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
    public long CaseId { get; private set; }

    /// <summary>The case's town (the distribution key, as on the case's other rows).</summary>
    public long TownId { get; private set; }

    /// <summary>The case event that recorded the adding (its AddAttachment event).</summary>
    public int EventSequence { get; private set; }

    public AttachmentKind Kind { get; private set; }

    /// <summary>The name it was uploaded under, made safe (no path, no control characters, the extension of its real type), at most 200 characters.</summary>
    public string FileName { get; private set; }

    /// <summary>The type found in the content (image/jpeg, application/pdf …), never the one the client claimed.</summary>
    public string ContentType { get; private set; }

    /// <summary>Bytes as stored (after an image's re-encoding).</summary>
    public long Size { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the stored bytes: the file's name in the store.</summary>
    public string Sha256 { get; private set; }

    /// <summary>The thumbnail's SHA-256 (a JPEG of at most 320 px), for images; null for documents.</summary>
    public string? ThumbnailSha256 { get; private set; }

    public int? Width { get; private set; }
    public int? Height { get; private set; }

    /// <summary>The actor's id and name, as on the event (a person or an integration).</summary>
    public string AddedById { get; private set; }
    public string AddedByName { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime AddedAt { get; private set; }
}
