using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Taizhang.Domain.Cases;

/// <summary>
/// One entry of a case's timeline. Appended by the transition that caused it and never
/// updated or deleted: the event log is the audit trail and the source of reported figures.
/// </summary>
/// <remarks>
/// Tamper evidence: each event is sealed with <see cref="Hash"/>, a SHA-256 over its content and
/// the hash of the case's previous event, so the events of one case form a chain, and the case
/// row keeps the head (<see cref="Case.LastEventHash"/>). Editing, reordering or deleting an
/// event breaks the chain at that event; deleting the last one no longer matches the head.
/// The chain is per case, not global: a case's events are appended one transition at a time
/// (the case's event count is its concurrency token), while a global chain would serialise
/// every writer in the ledger, the group-commit intake included. The case is named by its
/// tracking code, not its id: the id is assigned by the database after the event is sealed.
/// Someone who can rewrite the database can still recompute a whole chain: the hashes show
/// accidental and casual tampering, an external copy of the heads (or a backup) shows the rest.
/// </remarks>
public sealed class CaseEvent
{
    private CaseEvent()
    {
        ActorId = ActorName = string.Empty;
    }

    internal CaseEvent(Case @case, int sequence, Actor actor, DateTime at, CaseAction action,
        CaseStatus? from, CaseStatus to, string? reason, string? payload, string? previousHash)
    {
        Case = @case;
        TownId = @case.TownId;
        Sequence = sequence;
        ActorKind = actor.Kind;
        ActorId = actor.Id;
        ActorName = actor.Name;
        // PostgreSQL keeps microseconds: sealed and stored must be the same instant on both providers.
        At = TruncateToMicroseconds(at);
        Action = action;
        FromStatus = from;
        ToStatus = to;
        Reason = reason;
        Payload = payload;
        Hash = ComputeHash(@case.TrackingCode, previousHash);
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public Case? Case { get; private set; }
    public long TownId { get; private set; }

    /// <summary>
    /// The responsible unit the event concerns: the case's unit after the event, or for a 退回 the unit
    /// that handed it back. Derived from the case (and the payload) for counting per unit in SQL
    /// (returns, reminders, supervision points); not part of the sealed content, which the payload is.
    /// Null for events recorded before the column existed.
    /// </summary>
    public long? UnitId { get; internal set; }

    /// <summary>1, 2, 3 … within the case; with CaseId unique, so concurrent writers cannot interleave.</summary>
    public int Sequence { get; private set; }

    public ActorKind ActorKind { get; private set; }
    public string ActorId { get; private set; }
    public string ActorName { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; private set; }

    public CaseAction Action { get; private set; }
    public CaseStatus? FromStatus { get; private set; }
    public CaseStatus ToStatus { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>JSON object with the action's details (unit ids, outcome, satisfaction …).</summary>
    public string? Payload { get; private set; }

    /// <summary>
    /// Lower-case hex SHA-256 sealing this event to its predecessor (see the remarks above).
    /// Null only for events written before the chain existed ("unsealed"); new events always have one.
    /// </summary>
    public string? Hash { get; private set; }

    public const int HashLength = 64;

    /// <summary>The hash this event should have, from its stored content and its predecessor's hash.</summary>
    public string ComputeHash(string trackingCode, string? previousHash) => ComputeHash(
        trackingCode, TownId, Sequence, ActorKind, ActorId, ActorName, At, Action, FromStatus, ToStatus, Reason, Payload, previousHash);

    /// <summary>
    /// SHA-256 over an unambiguous encoding: a version tag, then every field length-prefixed
    /// (UTF-8 text, invariant numbers, enum names as stored, the instant as UTC ticks, null
    /// distinct from empty), then the previous hash (all zeros for the first event).
    /// </summary>
    public static string ComputeHash(string trackingCode, long townId, int sequence, ActorKind actorKind, string actorId,
        string actorName, DateTime at, CaseAction action, CaseStatus? from, CaseStatus to, string? reason, string? payload,
        string? previousHash)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var length = new byte[4];
        void Field(string? value)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, value is null ? -1 : Encoding.UTF8.GetByteCount(value));
            sha.AppendData(length);
            if (value is not null)
            {
                sha.AppendData(Encoding.UTF8.GetBytes(value));
            }
        }
        Field("taizhang.case-event.v1");
        Field(trackingCode);
        Field(townId.ToString(CultureInfo.InvariantCulture));
        Field(sequence.ToString(CultureInfo.InvariantCulture));
        Field(actorKind.ToString());
        Field(actorId);
        Field(actorName);
        Field(TruncateToMicroseconds(at).Ticks.ToString(CultureInfo.InvariantCulture));
        Field(action.ToString());
        Field(from?.ToString());
        Field(to.ToString());
        Field(reason);
        Field(payload);
        var previous = previousHash is null ? new byte[SHA256.HashSizeInBytes] : Convert.FromHexString(previousHash);
        if (previous.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("A previous hash is 32 bytes of hex.", nameof(previousHash));
        }
        sha.AppendData(previous);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static DateTime TruncateToMicroseconds(DateTime at) =>
        new(at.Ticks - at.Ticks % TimeSpan.TicksPerMicrosecond, at.Kind);
}
