package pace

import (
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// ReadShare is how much of a read's documented limit one run's polling may
// spend: a quarter, so a failover that polls fast leaves three quarters to
// every other client of the account (another node, a monitor, the console).
const ReadShare = 4

// ReadGap is the least time between two poll rounds that each make reads
// calls, so that the rounds spend at most 1/ReadShare of limit in any of its
// windows while they go on at that pace for up to span: the reads of one
// window are spread over min(Per, span). A zero limit gives zero.
func ReadGap(limit eip.Limit, reads int, span time.Duration) time.Duration {
	if limit.IsZero() || reads <= 0 {
		return 0
	}
	w := min(limit.Per, span)
	return time.Duration(int64(w) * int64(reads) * ReadShare / int64(limit.Count))
}
