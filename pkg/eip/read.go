package eip

import "context"

// ReadFunc reads a region's EIPs: those the IDs name, or every EIP of the
// region when ids is nil. An adapter whose cloud answers both questions with
// one paged call embeds its ReadFunc in its Provider and so gets Describe and
// List from it.
type ReadFunc func(ctx context.Context, region string, ids []string) ([]Address, error)

// Describe reads the given EIPs. Asked for none, it reads none and sends
// nothing: an empty list passed on would ask the cloud for every EIP.
func (r ReadFunc) Describe(ctx context.Context, region string, ids []string) ([]Address, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return r(ctx, region, ids)
}

// List reads every EIP of a region, all pages.
func (r ReadFunc) List(ctx context.Context, region string) ([]Address, error) {
	return r(ctx, region, nil)
}
