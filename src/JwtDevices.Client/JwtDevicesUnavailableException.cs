using System.Net;

namespace JwtDevices.Client;

/// <summary>
/// The server could not be reached, was busy (429) or unavailable (503, such as during a database outage),
/// and stayed so through the client's retries. The device is still signed in: try again later.
/// </summary>
public sealed class JwtDevicesUnavailableException : JwtDevicesClientException
{
    /// <summary>Creates the exception.</summary>
    public JwtDevicesUnavailableException(string message, HttpStatusCode? statusCode, string? code, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, statusCode, code, innerException) => RetryAfter = retryAfter;

    /// <summary>How long the server asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
