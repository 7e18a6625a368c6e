import Foundation
import Transport

/// Runs a mailbox fetch on its own thread and hands the messages over through a small buffer
/// bounded in bytes, so the server and the network work while the intake parses and stores.
/// One pipe fetches several batches back to back (one `UID FETCH` each), so the next batch is
/// on its way while the intake commits the last one. The IMAP connection is used only by the
/// fetch thread until `finish` returns.
final class FetchPipe: @unchecked Sendable {
    enum Item {
        case message(uid: Int64, raw: [UInt8], prepared: PreparedMessage?)
        /// Every message of the batch at this index was handed over (those the server returned).
        case batchEnd(Int)
    }

    private let condition = NSCondition()
    private var items: [Item] = []
    private var head = 0
    private var bufferedBytes = 0
    private var finished = false
    private var cancelled = false
    private var wantsMoreBatches = true
    private var failure: Error?
    let capacityBytes: Int

    init(capacityBytes: Int = 32 << 20) { self.capacityBytes = capacityBytes }

    /// Starts fetching `batches` in order on a new thread; `fetch` downloads one batch, calling
    /// the given handler once per message. `prepare` runs on the fetch thread too (parse and
    /// hashes in parallel with the store); it returns nil for messages the intake must prepare
    /// itself (under its time limit). The capacity counts raw bytes; each prepared message also
    /// holds its parse, several times that. 512 KB (some 30 typical messages ahead) keeps both
    /// threads as busy as 1 MB and 16 MB did; each halving took 1-2 MB off the peak RSS.
    static func start(batches: [[Int64]], capacityBytes: Int = 512 << 10,
                      prepare: @escaping @Sendable ([UInt8]) -> PreparedMessage? = { _ in nil },
                      _ fetch: @escaping @Sendable (_ uids: [Int64], _ deliver: (Int64, [UInt8]) throws -> Void) throws -> Void) -> FetchPipe {
        let pipe = FetchPipe(capacityBytes: capacityBytes)
        let thread = Thread {
            do {
                for (index, uids) in batches.enumerated() {
                    guard pipe.wantsBatch() else { break }
                    try fetch(uids) { uid, raw in
                        guard pipe.push(.message(uid: uid, raw: raw, prepared: prepare(raw)), bytes: raw.count) else { throw FetchStopped() }
                    }
                    guard pipe.push(.batchEnd(index), bytes: 0) else { throw FetchStopped() }
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

    /// Blocks while the buffer is full (at least one item always fits). False after `cancel`:
    /// the fetch should stop.
    func push(_ item: Item, bytes: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && head < items.count && bufferedBytes + bytes > capacityBytes { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        bufferedBytes += bytes
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

    /// The next item, or nil when the fetch has ended (see `finish` for its error).
    func next() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        items[head] = .batchEnd(-1)  // drop the bytes now; the slot goes at the next compaction
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= items.count {
            // A fetch that stays ahead never lets the buffer run empty: without this the taken
            // slots (a prepared message's worth each) piled up for the whole run, 3 MB at 10 000.
            items.removeFirst(head)
            head = 0
        }
        if case .message(_, let raw, _) = item { bufferedBytes -= raw.count }
        condition.broadcast()
        return item
    }

    /// Lets the batch in progress finish but starts no further one (after a fetch gap, whose
    /// later batches must wait for the next poll).
    func stopAfterCurrentBatch() {
        condition.lock()
        wantsMoreBatches = false
        condition.unlock()
    }

    private func wantsBatch() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return wantsMoreBatches && !cancelled
    }

    /// Stops taking messages: the fetch thread drops the connection rather than read the rest.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
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
