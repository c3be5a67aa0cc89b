namespace Fitten.Codecs;

/// <summary>
/// What a codec knows about a peer's bad input, carried on the exception for the server that answers it. A message
/// Fitten wrote for the peer ("the parameter 'id' is required") is marked, so a server may answer it word for word;
/// every other decode failure (the serializer's own text, which names CLR types) is described to the peer in the
/// server's words and logged in full. Marks in <see cref="Exception.Data"/>, not new types, because the exception
/// types are fixed by what callers catch (<see cref="System.Text.Json.JsonException"/>, the sealed
/// <see cref="InvalidDataException"/>).
/// </summary>
internal static class InputErrors
{
    private const string PeerMessageKey = "Fitten.PeerMessage";
    private const string ValueStartKey = "Fitten.JsonValueStart";

    /// <summary>Marks <paramref name="exception"/>'s message as written for the peer, and returns it.</summary>
    public static TException Mark<TException>(TException exception)
        where TException : Exception
    {
        exception.Data[PeerMessageKey] = true;
        return exception;
    }

    /// <summary>True when <paramref name="exception"/>'s message was written for the peer.</summary>
    public static bool IsMarked(Exception exception) => exception.Data.Contains(PeerMessageKey);

    /// <summary>
    /// Records where in the payload the JSON value that failed starts: the serializer reports its path and position
    /// relative to that value, not to the whole payload.
    /// </summary>
    public static void SetValueStart(Exception exception, long offset) => exception.Data[ValueStartKey] = offset;

    /// <summary>Where the JSON value that failed starts in the payload, when a codec recorded it.</summary>
    public static long? ValueStart(Exception exception) => exception.Data[ValueStartKey] as long?;
}
