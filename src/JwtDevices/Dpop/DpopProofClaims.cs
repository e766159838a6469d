using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace JwtDevices.Dpop;

/// <summary>
/// The claims of a proof's payload that RFC 9449 §4.2 defines, read in one pass with <see cref="Utf8JsonReader"/>:
/// the header of a known key is not read again (<see cref="DpopProofKeys"/>), so the payload is all a proof has left
/// to parse. Others are skipped. <c>jti</c>, <c>htm</c>, <c>htu</c>, <c>ath</c> and <c>nonce</c> count only as
/// strings, <c>iat</c> only as a number (a NumericDate, possibly with a fraction).
/// </summary>
internal readonly record struct DpopProofClaims(string? Jti, string? Htm, string? Htu, double? Iat, string? Ath, string? Nonce)
{
    // A payload of a proof is a few hundred bytes; a longer one is decoded into a rented array.
    private const int StackBytes = 1024;

    /// <summary>The claims of the proof's second part; <see langword="false"/> when it is not base64url of a JSON object.</summary>
    public static bool TryRead(ReadOnlySpan<char> encodedPayload, out DpopProofClaims claims)
    {
        claims = default;
        var length = Base64Url.GetMaxDecodedLength(encodedPayload.Length);
        var rented = length > StackBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> buffer = rented is null ? stackalloc byte[StackBytes] : rented;
            if (!Base64Url.TryDecodeFromChars(encodedPayload, buffer, out var written))
            {
                return false;
            }
            return TryRead(buffer[..written], out claims);
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> json, out DpopProofClaims claims)
    {
        claims = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        string? jti = null, htm = null, htu = null, ath = null, nonce = null;
        double? iat = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // ValueTextEquals compares the name unescaped, as a JSON parser reads it.
            var claim = reader.ValueTextEquals("iat"u8) ? Claim.Iat
                : reader.ValueTextEquals("jti"u8) ? Claim.Jti
                : reader.ValueTextEquals("htm"u8) ? Claim.Htm
                : reader.ValueTextEquals("htu"u8) ? Claim.Htu
                : reader.ValueTextEquals("ath"u8) ? Claim.Ath
                : reader.ValueTextEquals("nonce"u8) ? Claim.Nonce
                : Claim.Other;
            if (!reader.Read())
            {
                return false;
            }
            if (claim == Claim.Other)
            {
                reader.Skip();
                continue;
            }
            if (claim == Claim.Iat)
            {
                iat = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) ? seconds : null;
                reader.Skip();
                continue;
            }
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
            jti = claim == Claim.Jti ? text : jti;
            htm = claim == Claim.Htm ? text : htm;
            htu = claim == Claim.Htu ? text : htu;
            ath = claim == Claim.Ath ? text : ath;
            nonce = claim == Claim.Nonce ? text : nonce;
        }
        // The object must close, and nothing may follow it.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return false;
        }
        claims = new DpopProofClaims(jti, htm, htu, iat, ath, nonce);
        return true;
    }

    private enum Claim
    {
        Other,
        Iat,
        Jti,
        Htm,
        Htu,
        Ath,
        Nonce,
    }
}
