namespace JwtDevices.Server.Django;

/// <summary>The import cannot go on; the message is the one-line reason the command prints.</summary>
internal sealed class DjangoImportException(string message) : Exception(message);
