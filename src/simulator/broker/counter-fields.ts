import type { ClientCounters } from './types.ts';

/**
 * A client's traffic counters under EMQX's wire names, in EMQX's order; v4 and v5 differ only in the name of
 * the one receive-side drop reason they report (`expired` in 4.4, `await_pubrel_timeout` in 5.x).
 */
export function counterFields(c: ClientCounters, recvDropReason: string): Record<string, number> {
  return {
    recv_oct: c.recvOct,
    recv_cnt: c.recvCnt,
    recv_pkt: c.recvPkt,
    recv_msg: c.recvMsg,
    'recv_msg.qos0': c.recvMsgQos0,
    'recv_msg.qos1': c.recvMsgQos1,
    'recv_msg.qos2': c.recvMsgQos2,
    'recv_msg.dropped': c.recvMsgDropped,
    [`recv_msg.dropped.${recvDropReason}`]: 0,
    send_oct: c.sendOct,
    send_cnt: c.sendCnt,
    send_pkt: c.sendPkt,
    send_msg: c.sendMsg,
    'send_msg.qos0': c.sendMsgQos0,
    'send_msg.qos1': c.sendMsgQos1,
    'send_msg.qos2': c.sendMsgQos2,
    'send_msg.dropped': c.sendMsgDropped,
    'send_msg.dropped.expired': 0,
    'send_msg.dropped.queue_full': 0,
    'send_msg.dropped.too_large': 0,
  };
}
