using System.Net;

namespace JwtDevices.Client;

/// <summary>
/// The server refused a call of the client (such as a log-in with a wrong password). The message and
/// properties name the status and the server's <c>code</c>, never a token or a password.
/// </summary>
public class JwtDevicesClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JwtDevicesClientException(string message, HttpStatusCode? statusCode = null, string? code = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Code = code;
    }

    /// <summary>The server's status, or <see langword="null"/> when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's problem-details <c>code</c> (such as <c>invalid_credentials</c>), when it gave one.</summary>
    public string? Code { get; }
}
