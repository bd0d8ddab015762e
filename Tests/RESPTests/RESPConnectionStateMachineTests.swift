import NIOCore
import Testing

@testable import RESP

@Suite struct RESPConnectionStateMachineTests {
    typealias Machine = RESPConnectionStateMachine<String>

    private func send(_ machine: inout Machine, _ name: String) -> UInt64? {
        if case .write(let id) = machine.send(name) { return id }
        return nil
    }

    private func delivered(_ action: Machine.ReceiveAction) -> (String, Result<RESPValue, RESPError>, Bool)? {
        if case .deliver(let context, _, let result, let close) = action { return (context, result, close) }
        return nil
    }

    @Test func repliesMatchCommandsInOrder() {
        var machine = Machine()
        for name in ["a", "b", "c"] { #expect(send(&machine, name) != nil) }
        #expect(machine.inFlightCount == 3)
        let first = delivered(machine.receive(.integer(1)))
        #expect(first?.0 == "a" && (try? first?.1.get()) == .integer(1))
        #expect(delivered(machine.receive(.integer(2)))?.0 == "b")
        #expect(delivered(machine.receive(.integer(3)))?.0 == "c")
        #expect(machine.inFlightCount == 0)
    }

    @Test func errorRepliesFailOnlyTheirCommand() {
        var machine = Machine()
        _ = send(&machine, "a")
        _ = send(&machine, "b")
        let failed = delivered(machine.receive(.error("WRONGTYPE Operation against a key")))
        #expect(failed?.0 == "a")
        #expect(throws: RESPError(code: .serverError, message: "WRONGTYPE Operation against a key")) { try failed?.1.get() }
        let bulk = delivered(machine.receive(.bulkError("SYNTAX bad")))
        #expect(bulk?.0 == "b")
        #expect((try? bulk?.1.get()) == nil)
    }

    @Test func pushMessagesAreRoutedSeparately() {
        var machine = Machine()
        _ = send(&machine, "a")
        let push = RESPValue.push([.bulkString("invalidate"), .array([.bulkString("k")])])
        guard case .push(let value) = machine.receive(push) else { Issue.record("push not routed"); return }
        #expect(value == push)
        #expect(delivered(machine.receive(.simpleString("OK")))?.0 == "a")
    }

    @Test func connectionLossFailsEveryPendingCommandAndLaterSends() {
        var machine = Machine()
        _ = send(&machine, "a")
        _ = send(&machine, "b")
        #expect(machine.closed() == ["a", "b"])
        guard case .fail(let context, let error) = machine.send("c") else { Issue.record("send after close"); return }
        #expect(context == "c" && error.code == .connectionLost)
        #expect(machine.closed().isEmpty)
    }

    @Test func unsolicitedReplyClosesTheConnection() {
        var machine = Machine()
        guard case .closeConnection(let error, let failing) = machine.receive(.integer(1)) else { Issue.record("expected close"); return }
        #expect(error.code == .protocolError && failing.isEmpty)
    }

    @Test func expiredCommandsDropTheirLateReplyAndTheNextDeadlineIsReported() {
        var machine = Machine()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        guard case .write = machine.send("slow", deadline: start + .seconds(1)) else { Issue.record("send"); return }
        guard case .write = machine.send("untimed") else { Issue.record("send"); return }
        guard case .write = machine.send("next", deadline: start + .seconds(5)) else { Issue.record("send"); return }
        let early = machine.expire(now: start)
        #expect(early.expired.isEmpty && early.next == start + .seconds(1))
        let first = machine.expire(now: start + .seconds(2))
        #expect(first.expired == ["slow"] && first.next == start + .seconds(5))
        #expect(machine.expire(now: start + .seconds(2)).expired.isEmpty)
        guard case .discard(close: false) = machine.receive(.integer(1)) else { Issue.record("late reply not dropped"); return }
        #expect(delivered(machine.receive(.integer(2)))?.0 == "untimed")
        #expect(delivered(machine.receive(.integer(3)))?.0 == "next")
        let last = machine.expire(now: start + .seconds(10))
        #expect(last.expired.isEmpty && last.next == nil)
    }

    @Test func aBatchIsOneEntryAnsweredReplyByReply() {
        var machine = Machine()
        guard case .write = machine.send("batch", replies: 3) else { Issue.record("send"); return }
        _ = send(&machine, "after")
        #expect(machine.inFlightCount == 4)
        for index in 0..<3 {
            guard case .deliver(let context, let delivered, .success(.integer(let value)), false) = machine.receive(.integer(Int64(index))) else {
                Issue.record("reply \(index) of the batch")
                return
            }
            #expect(context == "batch" && delivered == index && value == Int64(index))
        }
        #expect(delivered(machine.receive(.simpleString("OK")))?.0 == "after")
        #expect(machine.inFlightCount == 0)
    }

    @Test func anExpiredBatchDropsItsRemainingReplies() {
        var machine = Machine()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        guard case .write = machine.send("batch", replies: 2, deadline: start + .seconds(1)) else { Issue.record("send"); return }
        _ = send(&machine, "after")
        guard case .deliver(_, 0, _, _) = machine.receive(.integer(1)) else { Issue.record("first reply"); return }
        #expect(machine.expire(now: start + .seconds(2)).expired == ["batch"])
        guard case .discard(close: false) = machine.receive(.integer(2)) else { Issue.record("late reply not dropped"); return }
        #expect(delivered(machine.receive(.integer(3)))?.0 == "after")
    }

    @Test func losingTheConnectionFailsABatchOnce() {
        var machine = Machine()
        _ = machine.send("batch", replies: 5)
        _ = machine.receive(.integer(1))
        #expect(machine.closed() == ["batch"])
        #expect(machine.inFlightCount == 0)
    }

    @Test func gracefulCloseWaitsForPendingReplies() {
        var machine = Machine()
        _ = send(&machine, "a")
        guard case .waitForReplies = machine.close() else { Issue.record("should wait"); return }
        guard case .fail(_, let error) = machine.send("b") else { Issue.record("send while closing"); return }
        #expect(error.code == .connectionClosed)
        let last = delivered(machine.receive(.simpleString("OK")))
        #expect(last?.0 == "a" && last?.2 == true)
        #expect(machine.closed().isEmpty)
    }

    @Test func closeWithNothingPendingClosesNow() {
        var machine = Machine()
        guard case .closeNow(let failing, _) = machine.close() else { Issue.record("should close now"); return }
        #expect(failing.isEmpty)
        guard case .none = machine.close() else { Issue.record("second close"); return }
    }
}
