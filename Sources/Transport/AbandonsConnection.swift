/// An error a response handler throws to stop at once: the client drops the connection
/// instead of reading the rest of the response (which it does for any other error, to keep
/// the connection usable).
public protocol AbandonsConnection: Error {}
