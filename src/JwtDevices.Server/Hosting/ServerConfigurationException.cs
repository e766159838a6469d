namespace JwtDevices.Server.Hosting;

/// <summary>
/// A setting the server cannot start with. Its message is one line that names the setting, shown
/// alone at start-up; it never holds a connection string or a secret.
/// </summary>
internal sealed class ServerConfigurationException(string message) : Exception(message);
