import Foundation
import Transport

/// Runs a mailbox fetch on its own thread and hands the messages over through a small buffer
/// bounded in bytes, so the server and the network work while the intake parses and stores.
/// The IMAP connection is used only by the fetch thread until `finish` returns.
final class FetchPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(uid: Int64, raw: [UInt8], prepared: PreparedMessage?)] = []
    private var bufferedBytes = 0
    private var finished = false
    private var cancelled = false
    private var failure: Error?
    let capacityBytes: Int

    init(capacityBytes: Int = 32 << 20) { self.capacityBytes = capacityBytes }

    /// Starts `fetch` on a new thread; it calls the given handler once per message.
    /// `prepare` runs on the fetch thread too (parse and hashes in parallel with the store);
    /// it returns nil for messages the intake must prepare itself (under its time limit).
    static func start(capacityBytes: Int = 16 << 20,
                      prepare: @escaping @Sendable ([UInt8]) -> PreparedMessage? = { _ in nil },
                      _ fetch: @escaping @Sendable (_ deliver: (Int64, [UInt8]) throws -> Void) throws -> Void) -> FetchPipe {
        let pipe = FetchPipe(capacityBytes: capacityBytes)
        let thread = Thread {
            do {
                try fetch { uid, raw in
                    guard pipe.push(uid, raw, prepare(raw)) else { throw FetchStopped() }
                }
                pipe.close(nil)
            } catch {
                pipe.close(error)
            }
        }
        thread.name = "postdesk-fetch"
        thread.start()
        return pipe
    }

    /// Blocks while the buffer is full (at least one message always fits). False after `cancel`:
    /// the fetch should stop.
    func push(_ uid: Int64, _ raw: [UInt8], _ prepared: PreparedMessage? = nil) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && !items.isEmpty && bufferedBytes + raw.count > capacityBytes { condition.wait() }
        guard !cancelled else { return false }
        items.append((uid, raw, prepared))
        bufferedBytes += raw.count
        condition.broadcast()
        return true
    }

    func close(_ error: Error?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next message, or nil when the fetch has ended (see `finish` for its error).
    func next() -> (uid: Int64, raw: [UInt8], prepared: PreparedMessage?)? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        bufferedBytes -= item.raw.count
        condition.broadcast()
        return item
    }

    /// Stops taking messages: the fetch thread reads the rest of the response and discards it.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        bufferedBytes = 0
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the fetch thread to end and returns its error, if any.
    func finish() -> Error? {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        return failure
    }
}

/// Thrown into the fetch when the intake stopped taking messages (a stop request, a store
/// failure): the IMAP client drops the connection instead of downloading the rest.
struct FetchStopped: AbandonsConnection, CustomStringConvertible {
    var description: String { "fetch stopped by the intake" }
}

/// Lets a non-Sendable value cross to the fetch thread; the caller guarantees exclusive use.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
}
