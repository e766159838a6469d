namespace JwtDevices.Endpoints;

/// <summary>
/// Recognises a database provider's connection failures that its exceptions do not mark as transient
/// (SQLite's, for one), so that <see cref="StoreOutageFilter"/> answers them 503 and lets every other error
/// through as the bug it is.
/// </summary>
internal interface IStoreOutageClassifier
{
    /// <summary>True when <paramref name="exception"/> says the database cannot be reached or used for now.</summary>
    bool IsOutage(Exception exception);
}
